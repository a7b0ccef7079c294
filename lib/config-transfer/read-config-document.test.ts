import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptSecret } from "../secrets/envelope";
import { keyFingerprint } from "./key-fingerprint";
import { readConfigDocument } from "./read-config-document";

const base = { format: "twofold-config", version: 1, groups: [], applications: [], primaryServers: [] };
const client = (secret?: string) => ({ name: "asa", address: "10.0.0.1", requireMessageAuthenticator: true, application: null, ...(secret === undefined ? {} : { secret }) });

describe("readConfigDocument", () => {
  it("opens secrets encrypted for this key, and refuses another key's file", () => {
    const key = randomBytes(32);
    const text = JSON.stringify({ ...base, secrets: { mode: "encrypted", keyFingerprint: keyFingerprint(key) }, radiusClients: [client(encryptSecret("shared-secret", key))] });
    expect(readConfigDocument({ text, key }).radiusClients[0]?.secret).toBe("shared-secret");
    expect(() => readConfigDocument({ text, key: randomBytes(32) })).toThrow("not this installation's TWOFOLD_SECRET_KEY");
  });

  it("never takes a secret in clear: a file that says it has none but carries one is refused", () => {
    expect(readConfigDocument({ text: JSON.stringify({ ...base, secrets: { mode: "omitted" }, radiusClients: [client()] }), key: undefined }).radiusClients).toHaveLength(1);
    expect(() => readConfigDocument({ text: JSON.stringify({ ...base, secrets: { mode: "omitted" }, radiusClients: [client("in-clear")] }), key: undefined })).toThrow("carries some");
    expect(() => readConfigDocument({ text: "{", key: undefined })).toThrow("Not JSON");
  });
});
