import { redirect } from "next/navigation";
import { ActionForm } from "@/components/forms/action-form";
import { Field } from "@/components/forms/field";
import { getSession } from "../_server/session";
import { signInAction } from "./actions";
import { pageTitle } from "@/app/_server/page-title";

export const dynamic = "force-dynamic";

export const metadata = pageTitle("Sign in");

export default async function SignInPage() {
  if (await getSession()) redirect("/");
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Sign in to Twofold</h1>
        <p className="muted">Administrator console</p>
        <ActionForm action={signInAction} submitLabel="Continue" pendingLabel="Checking…">
          <Field name="email" label="Email" type="email" autoComplete="username" required />
          <Field name="password" label="Password" type="password" autoComplete="current-password" required />
        </ActionForm>
      </div>
    </main>
  );
}
