import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiCa, issueServerCertificate } from "./create-api-certificate";
import { apiCertificateNames } from "./load-api-tls";

// The generated server certificate as the clients read it (Node's X509Certificate parses the DER OpenSSL's way).
describe("the API's generated certificate names", () => {
  it("keeps configured addresses (IPv4, IPv6, bracketed or not) and names; drops what is neither", () => {
    expect(apiCertificateNames([" API.Example.com ", "10.1.2.3", "[2001:DB8::7]", "fe80::1", "not a name", "bad_name.example"], "worker-1")).toEqual([
      "localhost",
      "worker-1",
      "api.example.com",
      "10.1.2.3",
      "2001:db8::7",
      "fe80::1",
      "127.0.0.1",
    ]);
  });

  it("writes every address both as a DNS name (libduo 1.x compares only those) and as an IP entry", () => {
    const now = new Date();
    const ca = createApiCa(now);
    const names = apiCertificateNames(["10.1.2.3", "2001:db8::7", "::ffff:192.0.2.1"], "worker-1");
    const cert = new X509Certificate(issueServerCertificate({ ca: ca.key, names, now }).certPem);
    expect(cert.subjectAltName?.split(", ")).toEqual([
      "DNS:localhost",
      "DNS:worker-1",
      "DNS:10.1.2.3",
      "IP Address:10.1.2.3",
      "DNS:2001:db8::7",
      "IP Address:2001:DB8:0:0:0:0:0:7",
      "DNS:::ffff:192.0.2.1",
      "IP Address:0:0:0:0:0:FFFF:C000:201",
      "DNS:127.0.0.1",
      "IP Address:127.0.0.1",
    ]);
    for (const address of ["10.1.2.3", "2001:db8::7", "127.0.0.1"]) expect(cert.checkIP(address)).toBe(address);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });
});
