import { NextResponse, type NextRequest } from "next/server";
import { buildSecurityHeaders, createNonce } from "@/lib/http/security-headers";

// Every console response gets its security headers here. Next reads the nonce from the request's CSP header and puts
// it on its own scripts, so the policy travels on the request as well as on the response.
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  // Over TLS directly, or behind a proxy that says so (the proxy is trusted to set it; a spoofed header only adds HSTS).
  const tls = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const headers = buildSecurityHeaders({ nonce, tls, dev: process.env.NODE_ENV === "development" });
  const forwarded = new Headers(request.headers);
  forwarded.set("x-nonce", nonce);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
