// The console's response headers, built in one place for every route. Scripts run only with this response's nonce
// ('strict-dynamic' lets Next's own loader add its chunks); no framing, no MIME sniffing, no referrer (enrollment and
// setup links carry their token in the path). Inline style attributes are allowed: the UI uses them, and a style
// cannot run code. HSTS only over TLS — on plain HTTP it is ignored and would mislead.
export const buildSecurityHeaders = (options: { nonce: string; tls: boolean; dev: boolean }): Record<string, string> => {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws:" : ""}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.tls ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.tls ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
};

// 16 random bytes, base64: unguessable and new for every response.
export const createNonce = (): string => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));

// One answer to "is the browser on TLS?" for HSTS and the Secure cookie flag alike: over TLS directly, behind a proxy
// that says so (a spoofed header only adds HSTS and Secure), or a public URL that is https (a proxy that terminates
// TLS without saying so).
export const isTlsRequest = (options: { protocol?: string; forwardedProto: string | null; publicUrl: string | undefined }): boolean =>
  options.protocol === "https:" || options.forwardedProto === "https" || Boolean(options.publicUrl?.startsWith("https:"));
