import { prisma } from "@/lib/db";
import { isSetupTokenUsable } from "@/lib/auth/create-owner";
import { ADMIN_PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { ActionForm } from "@/components/forms/action-form";
import { Field } from "@/components/forms/field";
import { createOwnerAction } from "./actions";
import { pageTitle } from "@/app/_server/page-title";

export const dynamic = "force-dynamic";

export const metadata = pageTitle("Create the owner account");

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const usable = await isSetupTokenUsable({ prisma, token });
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Set up Twofold</h1>
        {usable ? (
          <>
            <p className="muted">Create the owner account. Next you will add an authenticator app for it.</p>
            <ActionForm action={createOwnerAction} submitLabel="Create owner account" pendingLabel="Creating…">
              <input type="hidden" name="token" value={token} />
              <Field name="email" label="Email" type="email" autoComplete="username" required />
              <Field name="name" label="Name (optional)" autoComplete="name" />
              <Field name="password" label="Password" type="password" autoComplete="new-password" required hint={`At least ${ADMIN_PASSWORD_MIN_LENGTH} characters.`} />
            </ActionForm>
          </>
        ) : (
          <div className="banner warn" role="alert">
            This setup link is missing, expired or already used. If no administrator exists yet, restart Twofold: it prints a fresh link.
            Otherwise <a href="/sign-in">sign in</a>.
          </div>
        )}
      </div>
    </main>
  );
}
