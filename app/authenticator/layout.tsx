import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  title: "Twofold Authenticator",
  manifest: "/manifest.webmanifest",
  appleWebApp: { capable: true, title: "Twofold", statusBarStyle: "default" },
  icons: { icon: "/icons/icon.svg", apple: "/icons/icon-192.png" },
  referrer: "no-referrer",
};

export const viewport: Viewport = { themeColor: "#1f4e79", width: "device-width", initialScale: 1 };

export default function AuthenticatorLayout({ children }: { children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">{children}</div>
    </main>
  );
}
