import { NextResponse, type NextRequest } from "next/server";
import { buildSecurityHeaders, createNonce, isTlsRequest } from "@/lib/http/security-headers";

// Every console response gets its security headers here. Next reads the nonce from the request's CSP header and puts
// it on its own scripts, so the policy travels on the request as well as on the response.
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const tls = isTlsRequest({ protocol: request.nextUrl.protocol, forwardedProto: request.headers.get("x-forwarded-proto"), publicUrl: process.env.TWOFOLD_PUBLIC_URL });
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
