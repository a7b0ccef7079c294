import Link from "next/link";
import { prisma } from "@/lib/db";
import { adminTotpProvisioning } from "@/lib/auth/admin-totp";
import { beginAdminTotpEnrollment } from "@/lib/auth/admin-totp-enrollment";
import { ActionForm } from "@/components/forms/action-form";
import { Field } from "@/components/forms/field";
import { requirePageSession } from "../../../_server/session";
import { confirmTotpAction } from "./actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Two-factor sign-in");

export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ setup?: string }> }) {
  const session = await requirePageSession();
  const { setup } = await searchParams;
  if (session.totpEnabled) {
    return (
      <>
        <h1>Two-factor sign-in</h1>
        <div className="card">
          <span className="badge ok">Enabled</span> Your account signs in with a password and a code from your authenticator app.
        </div>
      </>
    );
  }
  const { secret } = await beginAdminTotpEnrollment({ prisma, adminId: session.adminId });
  const { qrSvg } = await adminTotpProvisioning({ secret, email: session.email });
  return (
    <>
      <h1>{setup ? "Owner account created: add an authenticator app" : "Set up two-factor sign-in"}</h1>
      <p className="muted">Admins need their own second factor before they can change any configuration.</p>
      <div className="grid-2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>1. Scan this code</h2>
          <div className="qr" aria-label="QR code for the authenticator app" dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p className="muted">Or type this key into the app:</p>
          <div className="secret-once" data-testid="totp-secret">
            {secret}
          </div>
        </div>
        <div className="card">
          <h2 style={{ marginTop: 0 }}>2. Enter the code it shows</h2>
          <ActionForm action={confirmTotpAction} submitLabel="Turn on two-factor sign-in" pendingLabel="Verifying…">
            <Field name="code" label="6-digit code" inputMode="numeric" autoComplete="one-time-code" required />
          </ActionForm>
          <p style={{ marginTop: 12 }}>
            <Link href="/">Not now</Link> <span className="muted">(you can look around, but not change configuration)</span>
          </p>
        </div>
      </div>
    </>
  );
}
