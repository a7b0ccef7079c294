import { describe, expect, it } from "vitest";
import { buildSecurityHeaders, createNonce, isTlsRequest } from "./security-headers";

describe("buildSecurityHeaders", () => {
  it("allows scripts only with the response's nonce and forbids framing, sniffing and referrers", () => {
    const headers = buildSecurityHeaders({ nonce: "abc", tls: false, dev: false });
    const csp = headers["Content-Security-Policy"] ?? "";
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" });
    expect(headers["Strict-Transport-Security"]).toBeUndefined();
  });
  it("adds HSTS and upgrade-insecure-requests over TLS only", () => {
    const headers = buildSecurityHeaders({ nonce: "abc", tls: true, dev: false });
    expect(headers["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
    expect(headers["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  });
  it("makes a fresh, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
  it("treats a request as TLS on https itself, a proxy's x-forwarded-proto https, or an https public URL, and nothing else", () => {
    expect(isTlsRequest({ protocol: "https:", forwardedProto: null, publicUrl: undefined })).toBe(true);
    expect(isTlsRequest({ protocol: "http:", forwardedProto: "https", publicUrl: undefined })).toBe(true);
    expect(isTlsRequest({ protocol: "http:", forwardedProto: null, publicUrl: "https://mfa.example.com" })).toBe(true);
    expect(isTlsRequest({ protocol: "http:", forwardedProto: "http", publicUrl: "http://localhost:3000" })).toBe(false);
    expect(isTlsRequest({ forwardedProto: "HTTPS, http", publicUrl: undefined })).toBe(false);
  });
});
