import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./envelope";
import { parseSecretKey } from "./secret-key";

const key = randomBytes(32);

describe("secret envelope", () => {
  it("round-trips any text, including non-ASCII, with a fresh IV each time", () => {
    const secret = "s3cr3t,with\\odd chars é😀";
    const a = encryptSecret(secret, key);
    const b = encryptSecret(secret, key);
    expect(a).not.toEqual(b);
    expect(a).not.toContain("s3cr3t");
    expect(decryptSecret(a, key)).toBe(secret);
  });

  it("detects tampering with the ciphertext, the tag or the IV", () => {
    const envelope = encryptSecret("shared-secret", key);
    const parts = envelope.split(":");
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index]!, "base64");
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = parts.map((part, i) => (i === index ? bytes.toString("base64") : part)).join(":");
      expect(() => decryptSecret(tampered, key)).toThrow();
    }
  });

  it("refuses a different key", () => {
    expect(() => decryptSecret(encryptSecret("x", key), randomBytes(32))).toThrow();
  });

  it("accepts base64 and hex keys and rejects malformed ones", () => {
    expect(parseSecretKey(key.toString("base64"))).toEqual(key);
    expect(parseSecretKey(key.toString("hex"))).toEqual(key);
    expect(() => parseSecretKey("short")).toThrow(/32 random bytes/);
    expect(() => parseSecretKey(randomBytes(16).toString("base64"))).toThrow(/32 random bytes/);
  });
});
