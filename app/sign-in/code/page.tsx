import { ActionForm } from "@/components/forms/action-form";
import { Field } from "@/components/forms/field";
import { AuthCard } from "@/components/shell/auth-card";
import { signInCodeAction } from "../actions";
import { pageTitle } from "@/app/_server/page-title";

export const dynamic = "force-dynamic";

export const metadata = pageTitle("Two-factor code");

export default function SignInCodePage() {
  return (
    <AuthCard title="Two-factor code" lede="Enter the 6-digit code from your authenticator app." startOver>
      <ActionForm action={signInCodeAction} submitLabel="Sign in" pendingLabel="Verifying…">
        <Field name="code" label="Code" inputMode="numeric" autoComplete="one-time-code" required />
      </ActionForm>
    </AuthCard>
  );
}
