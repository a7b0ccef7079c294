import { ActionForm } from "@/components/forms/action-form";
import { Field } from "@/components/forms/field";
import { AuthCard } from "@/components/shell/auth-card";
import { ADMIN_PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { pageTitle } from "@/app/_server/page-title";
import { changeTemporaryPasswordAction } from "../actions";

export const dynamic = "force-dynamic";

export const metadata = pageTitle("Choose your password");

export default function ChangeTemporaryPasswordPage() {
  return (
    <AuthCard title="Choose your password" lede="You signed in with a temporary password. Replace it with one only you know." startOver>
      <ActionForm action={changeTemporaryPasswordAction} submitLabel="Save and continue" pendingLabel="Saving…" testId="change-temporary-password">
        <Field name="newPassword" label="New password" type="password" autoComplete="new-password" required hint={`At least ${ADMIN_PASSWORD_MIN_LENGTH} characters.`} />
        <Field name="confirmPassword" label="Type it again" type="password" autoComplete="new-password" required />
      </ActionForm>
    </AuthCard>
  );
}
