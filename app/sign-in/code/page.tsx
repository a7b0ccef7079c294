import { ActionForm } from "@/components/forms/action-form";
import { Field } from "@/components/forms/field";
import { signInCodeAction } from "../actions";
import { pageTitle } from "@/app/_server/page-title";

export const dynamic = "force-dynamic";

export const metadata = pageTitle("Two-factor code");

export default function SignInCodePage() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Two-factor code</h1>
        <p className="muted">Enter the 6-digit code from your authenticator app.</p>
        <ActionForm action={signInCodeAction} submitLabel="Sign in" pendingLabel="Verifying…">
          <Field name="code" label="Code" inputMode="numeric" autoComplete="one-time-code" required />
        </ActionForm>
        <p className="muted" style={{ marginTop: 12 }}>
          <a href="/sign-in">Start over</a>
        </p>
      </div>
    </main>
  );
}
