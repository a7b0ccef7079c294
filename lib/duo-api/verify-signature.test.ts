import { createHmac } from "node:crypto";
import { sign, signV5 } from "@duosecurity/duo_api/lib/duo_sig";
import { describe, expect, it } from "vitest";
import { canonicalize, canonParams } from "./canonicalize-request";
import { parseFormParams } from "./parse-form-params";
import { verifySignature, type TVerifySignatureOptions } from "./verify-signature";

const app = { ikey: "DIWJ8X6AEYOR5OMC6TQ1", skey: "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep" };
const now = new Date("2026-12-01T12:00:00Z");
const date = now.toUTCString();
const form = (text: string) => {
  const parsed = parseFormParams(Buffer.from(text, "latin1"));
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.params;
};
const basic = (signature: string) => `Basic ${Buffer.from(`${app.ikey}:${signature}`).toString("base64")}`;
const verify = (overrides: Partial<TVerifySignatureOptions<typeof app>>) =>
  verifySignature({ authorization: undefined, date, method: "POST", host: "api.example", path: "/auth/v2/preauth", params: [], body: Buffer.alloc(0), json: false, allowUndated: false, maxSkewSec: 300, now, findApplication: (ikey) => (ikey === app.ikey ? app : undefined), ...overrides });

describe("Duo request signatures", () => {
  it("canonical parameters: sorted by key then value, RFC 3986 unreserved only, '+' in a form body is a space like %20", () => {
    // The expected string is what duo_client's own canon_params makes of the same parameters.
    expect(canonParams(form("realname=First+Last&username=root%40example.com&%E2%98%83=%E2%98%83&a=2&a=1&t=~-._*!'()"))).toBe("%E2%98%83=%E2%98%83&a=1&a=2&realname=First%20Last&t=~-._%2A%21%27%28%29&username=root%40example.com");
    expect(canonParams(form("x=First%20Last"))).toBe(canonParams(form("x=First+Last")));
    expect(parseFormParams(Buffer.from("a=%G1")).ok).toBe(false);
  });

  it("v2 (Date first) with HMAC-SHA512 verifies exactly as duo_api_nodejs signs it, for the bare host; any change breaks it", () => {
    const params = { username: "alice smith", factor: "push", device: "auto" };
    const authorization = sign(app.ikey, app.skey, "POST", "api.example", "/auth/v2/auth", params, date);
    const body = form("username=alice+smith&factor=push&device=auto");
    expect(verify({ authorization, path: "/auth/v2/auth", params: body })).toMatchObject({ ok: true, version: 2 });
    expect(verify({ authorization, path: "/auth/v2/auth", params: form("username=alice+smith&factor=push&device=DP1") })).toMatchObject({ ok: false, error: { code: 40103 } });
    expect(verify({ authorization, path: "/auth/v2/auth", params: body, host: "other.example" })).toMatchObject({ ok: false, error: { code: 40103 } });
    expect(verify({ authorization, path: "/auth/v2/auth", params: body, method: "GET" })).toMatchObject({ ok: false, error: { code: 40103 } });
  });

  it("a client that put the port in its host (duo_client host=\"name:8443\") verifies against the Host header as sent", () => {
    const params = { username: "alice" };
    const withPort = sign(app.ikey, app.skey, "POST", "api.example:8443", "/auth/v2/preauth", params, date);
    const bare = sign(app.ikey, app.skey, "POST", "api.example", "/auth/v2/preauth", params, date);
    const body = form("username=alice");
    expect(verify({ authorization: withPort, params: body, hostWithPort: "api.example:8443" })).toMatchObject({ ok: true, version: 2 });
    expect(verify({ authorization: bare, params: body, hostWithPort: "api.example:8443" })).toMatchObject({ ok: true, version: 2 });
    // Only the port the request came in on: another port or host is another request.
    expect(verify({ authorization: withPort, params: body, hostWithPort: "api.example:9443" })).toMatchObject({ ok: false, error: { code: 40103 } });
    expect(verify({ authorization: withPort, params: body })).toMatchObject({ ok: false, error: { code: 40103 } });
  });

  it("v1 (no Date, HMAC-SHA1) only where allowed; v5 with the SHA-512 of a JSON body", () => {
    const v1 = createHmac("sha1", app.skey).update(canonicalize({ version: 1, method: "POST", host: "api.example", path: "/rest/v1/auth.bson", params: form("user=alice&factor=auto&auto=push1") })).digest("hex");
    const options = { authorization: basic(v1), date: undefined, path: "/rest/v1/auth.bson", params: form("auto=push1&factor=auto&user=alice") };
    expect(verify({ ...options, allowUndated: true })).toMatchObject({ ok: true, version: 1 });
    expect(verify({ ...options, allowUndated: false })).toMatchObject({ ok: false, error: { code: 40104 } });
    const json = JSON.stringify({ username: "alice", factor: "passcode", passcode: "123456" });
    const authorization = signV5(app.ikey, app.skey, "POST", "api.example", "/auth/v2/auth", {}, date, json);
    expect(verify({ authorization, path: "/auth/v2/auth", json: true, body: Buffer.from(json) })).toMatchObject({ ok: true, version: 5 });
    expect(verify({ authorization, path: "/auth/v2/auth", json: true, body: Buffer.from(json.replace("123456", "654321")) })).toMatchObject({ ok: false, error: { code: 40103 } });
  });

  it("a Date beyond the allowed skew, an unknown ikey or no credentials are refused with Duo's codes", () => {
    const stale = new Date(now.getTime() - 301_000).toUTCString();
    expect(verify({ authorization: sign(app.ikey, app.skey, "POST", "api.example", "/auth/v2/preauth", {}, stale), date: stale })).toMatchObject({ ok: false, error: { code: 40105 }, reason: "stale_date" });
    expect(verify({ authorization: sign("DIXXXXXXXXXXXXXXXXXX", app.skey, "POST", "api.example", "/auth/v2/preauth", {}, date) })).toMatchObject({ ok: false, error: { code: 40102 } });
    expect(verify({ authorization: undefined })).toMatchObject({ ok: false, error: { code: 40101 } });
    expect(verify({ authorization: basic("ab".repeat(20)) })).toMatchObject({ ok: false, error: { code: 40103 } });
  });
});
