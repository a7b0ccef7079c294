import { createHmac, timingSafeEqual } from "node:crypto";
import { canonicalize, type TSignatureVersion } from "./canonicalize-request";
import { DUO_ERRORS, type TDuoError } from "./duo-error";
import type { TApiParam } from "./parse-form-params";

export type TSignedApplication = { ikey: string; skey: string };

export type TVerifySignatureOptions<A extends TSignedApplication> = {
  authorization: string | undefined;
  date: string | undefined; // X-Duo-Date, else Date
  method: string;
  host: string; // from the Host header, port removed: what libduo and the SDKs sign
  hostWithPort?: string; // the Host header as sent, when it names a port: what duo_client signs for host="name:8443"
  path: string;
  params: readonly TApiParam[];
  body: Buffer;
  json: boolean; // the body is JSON: only v4/v5 sign it
  allowUndated: boolean; // v1 signatures (no Date, replayable) only on the legacy /rest/v1 endpoints
  maxSkewSec: number;
  now: Date;
  findApplication: (ikey: string) => A | undefined;
};

export type TVerifySignatureResult<A> =
  | { ok: true; application: A; version: TSignatureVersion }
  | { ok: false; error: TDuoError; reason: "missing_credentials" | "unknown_ikey" | "bad_signature" | "missing_date" | "stale_date"; ikey?: string };

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

const parseBasic = (header: string | undefined): { ikey: string; signature: string } | undefined => {
  const match = header ? BASIC.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  return { ikey: decoded.slice(0, colon), signature: decoded.slice(colon + 1).toLowerCase() };
};

const sameHex = (expected: string, given: string): boolean => {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
};

// Duo's HTTP Basic scheme: user = ikey, password = hex HMAC of the canonical request with the skey. The server cannot
// know which version the client used, so it computes each one the request could be (the digest length tells SHA-1
// from SHA-512) and accepts any that matches, compared in constant time. A dated signature must carry a Date within
// maxSkewSec of this server's clock, checked only after the signature (the Date is part of what was signed).
export const verifySignature = <A extends TSignedApplication>(options: TVerifySignatureOptions<A>): TVerifySignatureResult<A> => {
  const credentials = parseBasic(options.authorization);
  if (!credentials) return { ok: false, error: DUO_ERRORS.missingCredentials, reason: "missing_credentials" };
  const application = options.findApplication(credentials.ikey);
  if (!application) return { ok: false, error: DUO_ERRORS.invalidIkey, reason: "unknown_ikey", ikey: credentials.ikey };
  const digest = credentials.signature.length === 40 ? "sha1" : credentials.signature.length === 128 ? "sha512" : undefined;
  const versions: TSignatureVersion[] = [];
  if (options.json) versions.push(4, 5);
  else {
    if (options.allowUndated) versions.push(1);
    if (options.date !== undefined) versions.push(2, 4, 5); // v4/v5 on a GET: the hash of the empty body
  }
  const candidates = digest ? versions.filter((version) => digest === "sha512" || version <= 2) : [];
  let matched: TSignatureVersion | undefined;
  const hosts = options.hostWithPort && options.hostWithPort !== options.host ? [options.host, options.hostWithPort] : [options.host];
  for (const version of candidates) {
    if (version !== 1 && options.date === undefined) continue;
    for (const host of hosts) {
      const canonical = canonicalize({ version, method: options.method, host, path: options.path, params: options.params, date: options.date, body: options.body });
      const expected = createHmac(digest ?? "sha1", application.skey).update(canonical, "utf8").digest("hex");
      // Every candidate is computed even after a match, so the time taken does not say which version matched.
      if (sameHex(expected, credentials.signature) && matched === undefined) matched = version;
    }
  }
  if (matched === undefined) {
    const undated = !options.json && !options.allowUndated && options.date === undefined;
    return undated
      ? { ok: false, error: DUO_ERRORS.missingDate, reason: "missing_date", ikey: credentials.ikey }
      : { ok: false, error: DUO_ERRORS.invalidSignature, reason: "bad_signature", ikey: credentials.ikey };
  }
  if (matched !== 1) {
    const sent = Date.parse(options.date ?? "");
    if (!Number.isFinite(sent) || Math.abs(options.now.getTime() - sent) > options.maxSkewSec * 1000) {
      return { ok: false, error: DUO_ERRORS.staleDate, reason: "stale_date", ikey: credentials.ikey };
    }
  }
  return { ok: true, application, version: matched };
};
