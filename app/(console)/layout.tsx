import Link from "next/link";
import type { ReactNode } from "react";
import { roleHasPermission, type TPermission } from "@/lib/auth/permissions";
import { Nav } from "@/components/shell/nav";
import { QueryProvider } from "@/components/providers/query-provider";
import { requirePageSession } from "../_server/session";
import { signOutAction } from "../_actions/sign-out";

export const dynamic = "force-dynamic";

const SECTIONS: { href: string; label: string; permission: TPermission }[] = [
  { href: "/", label: "Dashboard", permission: "dashboard:read" },
  { href: "/users", label: "Users", permission: "users:read" },
  { href: "/groups", label: "Groups", permission: "groups:read" },
  { href: "/applications", label: "Applications", permission: "applications:read" },
  { href: "/policies", label: "Policies", permission: "policy:read" },
  { href: "/radius-clients", label: "RADIUS clients", permission: "radius_clients:read" },
  { href: "/primary-auth", label: "Primary auth", permission: "primary_auth:read" },
  { href: "/auth-log", label: "Auth log", permission: "authlog:read" },
  { href: "/admins", label: "Admins", permission: "admins:read" },
  { href: "/audit", label: "Audit", permission: "audit:read" },
  { href: "/settings/email", label: "Settings", permission: "settings:read" },
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requirePageSession();
  // Hiding links is only courtesy: each page and action checks the permission again on the server.
  const items = SECTIONS.filter((section) => roleHasPermission(session.role, section.permission)).map(({ href, label }) => ({ href, label }));
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">Twofold</div>
        <Nav items={items} />
        <div className="sidebar-foot">
          <span data-testid="signed-in-as">
            {session.email} · {session.role}
          </span>
          <Link href="/account/two-factor" style={{ color: "#d1d5db" }}>
            Account
          </Link>
          <form action={signOutAction}>
            <button type="submit" className="link-button">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="main" id="main">
        {!session.mfaVerified && (
          <div className="banner warn" role="status">
            {session.totpEnabled ? "This session has not passed two-factor sign-in" : "Your admin account has no authenticator app yet"}: you can look
            around, but configuration changes are refused until you <Link href="/account/two-factor">set up two-factor sign-in</Link>.
          </div>
        )}
        <QueryProvider>{children}</QueryProvider>
      </main>
    </div>
  );
}
