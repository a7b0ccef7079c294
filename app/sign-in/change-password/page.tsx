import { ActionForm } from "@/components/forms/action-form";
import { Field } from "@/components/forms/field";
import { ADMIN_PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { changeTemporaryPasswordAction } from "../actions";

export const dynamic = "force-dynamic";

export const metadata = { title: "Choose your password · Twofold" };

export default function ChangeTemporaryPasswordPage() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Choose your password</h1>
        <p className="muted">You signed in with a temporary password. Replace it with one only you know.</p>
        <ActionForm action={changeTemporaryPasswordAction} submitLabel="Save and continue" pendingLabel="Saving…" testId="change-temporary-password">
          <Field name="newPassword" label="New password" type="password" autoComplete="new-password" required hint={`At least ${ADMIN_PASSWORD_MIN_LENGTH} characters.`} />
          <Field name="confirmPassword" label="Type it again" type="password" autoComplete="new-password" required />
        </ActionForm>
        <p className="muted" style={{ marginTop: 12 }}>
          <a href="/sign-in">Start over</a>
        </p>
      </div>
    </main>
  );
}
