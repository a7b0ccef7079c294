import Link from "next/link";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { viewSmtpSettings } from "@/lib/mail/read-smtp-settings";
import { SmtpSettingsForm, TestEmailForm } from "@/components/mail/smtp-settings-form";
import { pageTitle } from "@/app/_server/page-title";
import { requirePageSession } from "../../../_server/session";
import { saveSmtpSettingsAction, sendTestEmailAction } from "./actions";

export const metadata = pageTitle("Email settings");

export default async function EmailSettingsPage() {
  const session = await requirePageSession("settings:read");
  const settings = await viewSmtpSettings({ prisma });
  const canWrite = roleHasPermission(session.role, "settings:write");
  return (
    <>
      <h1>Email</h1>
      <p className="muted">
        The mail server Twofold sends enrollment links through (a user&apos;s page: <em>Send enrollment email</em>; everyone without an authenticator:{" "}
        <Link href="/users/enrollment-mail">Email enrollment links</Link>).
      </p>
      <div className="grid-2">
        <div className="card">
          {canWrite ? (
            <SmtpSettingsForm
              action={saveSmtpSettingsAction}
              defaults={{
                host: settings?.host ?? "", port: String(settings?.port ?? 587), security: settings?.security ?? "starttls", fromAddress: settings?.fromAddress ?? "",
                fromName: settings?.fromName ?? "", username: settings?.username ?? "", hasPassword: settings?.hasPassword ?? false,
              }}
            />
          ) : settings ? (
            <dl data-testid="smtp-summary">
              <dt>Server</dt><dd>{settings.host}:{settings.port} ({settings.security})</dd>
              <dt>From</dt><dd>{settings.fromName ? `${settings.fromName} <${settings.fromAddress}>` : settings.fromAddress}</dd>
              <dt>Authentication</dt><dd>{settings.username ? `as ${settings.username}${settings.hasPassword ? ", password set" : ""}` : "none"}</dd>
            </dl>
          ) : (
            <p className="muted">No mail server configured.</p>
          )}
        </div>
        {canWrite && settings && (
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Test</h2>
            <TestEmailForm action={sendTestEmailAction} />
          </div>
        )}
      </div>
    </>
  );
}
