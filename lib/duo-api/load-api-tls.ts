import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { hostname } from "node:os";
import path from "node:path";
import type { TPrisma } from "../db";
import { issueServerCertificate } from "./create-api-certificate";
import { loadApiCa } from "./load-api-ca";

import type { TApiTls } from "./api-tls-schema";

export type { TApiTls };

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

// "[2001:db8::1]" → "2001:db8::1": a configured IPv6 address may come bracketed as in a URL.
const bare = (entry: string) => entry.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");

// Every name the worker is reached by: localhost, this host's name, the configured names and addresses, 127.0.0.1.
// An address is kept as is: the certificate carries it both as a DNS name (libduo 1.x compares only those, then the
// CN) and as an IP entry (what Python's ssl, OpenSSL and newer libduo match an address against).
export const apiCertificateNames = (configured: readonly string[] = [], host = hostname()): string[] => {
  const names = ["localhost", host, ...configured].map(bare).filter((entry) => isIP(entry) > 0 || DNS_NAME.test(entry));
  return [...new Set([...names, "127.0.0.1"])];
};

export type TLoadApiTlsOptions = { prisma: TPrisma; dataDir: string; names: readonly string[]; certFile?: string; keyFile?: string; now?: Date };

// The admin's certificate and key when both files are configured; otherwise a server certificate issued at each start
// for the names configured now (so a changed TWOFOLD_API_NAMES takes effect on restart; cert.pem on disk is only a copy
// for the admin to inspect, never read back) by the shared CA, whose certificate is written to
// <dataDir>/api-tls/ca.pem for clients.
export const loadApiTls = async (options: TLoadApiTlsOptions): Promise<TApiTls> => {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new Error("TWOFOLD_API_CERT_FILE and TWOFOLD_API_KEY_FILE go together");
    return { cert: readFileSync(options.certFile, "utf8"), key: readFileSync(options.keyFile, "utf8"), names: [...options.names], source: "files" };
  }
  const now = options.now ?? new Date();
  const ca = await loadApiCa({ prisma: options.prisma, now });
  const issued = issueServerCertificate({ ca: ca.key, names: options.names, now });
  const dir = path.join(options.dataDir, "api-tls");
  mkdirSync(dir, { recursive: true });
  const caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, ca.certPem, { mode: 0o644 });
  writeFileSync(path.join(dir, "cert.pem"), issued.certPem, { mode: 0o644 });
  return { cert: `${issued.certPem}${ca.certPem}`, key: issued.keyPem, names: [...options.names], caFile, source: "generated" };
};
