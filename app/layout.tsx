import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = { title: "Twofold", description: "Self-hosted MFA for network access" };

// Reading the request's headers renders every page per request, so each gets the nonce proxy.ts made for it: a
// prerendered page's scripts would carry none and the policy would block them.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await headers();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
