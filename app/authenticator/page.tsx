import { AuthenticatorApp } from "./authenticator-app";

export const dynamic = "force-dynamic";

export default function AuthenticatorPage() {
  return <AuthenticatorApp />;
}
