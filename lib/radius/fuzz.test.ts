import { randomBytes } from "node:crypto";
import radius from "radius";
import { describe, expect, it } from "vitest";
import { decodeRequest } from "./decode-request";
import { parsePacket } from "./parse-packet";
import { verifyRequest } from "./verify-request";

const secret = Buffer.from("fuzz-secret");

// Every stage the worker runs on untrusted bytes; a throw here would be a crash in the worker.
const runPipeline = (bytes: Buffer): string => {
  const parsed = parsePacket(bytes);
  if (!parsed.ok) return parsed.reason;
  const verified = verifyRequest({ packet: parsed.packet, secret, requireMessageAuthenticator: false });
  if (!verified.ok) return verified.reason;
  const decoded = decodeRequest({ packet: parsed.packet, secret });
  return decoded.ok ? "ok" : decoded.reason;
};

const seed = (): Buffer =>
  radius.encode({
    code: "Access-Request",
    secret: "fuzz-secret",
    attributes: [["User-Name", "fuzz"], ["User-Password", "hunter2"], ["NAS-IP-Address", "10.0.0.1"], ["Vendor-Specific", 9, [["Cisco-AVPair", "a=b"]]]],
    add_message_authenticator: true,
  });

describe("packet decoder fuzz", () => {
  it("never throws on random datagrams", { timeout: 120_000 }, () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 5_000; i += 1) {
      const bytes = randomBytes(Math.floor(Math.random() * 300));
      // Make half of them look plausible so the attribute walker is reached.
      if (bytes.length >= 4 && i % 2 === 0) bytes.writeUInt16BE(bytes.length, 2);
      expect(() => outcomes.add(runPipeline(bytes))).not.toThrow();
    }
    expect(outcomes.has("bad_length")).toBe(true);
    expect(outcomes.has("bad_attributes")).toBe(true);
  });

  it("never throws on mutated valid packets, and the unmutated seed decodes", { timeout: 120_000 }, () => {
    expect(runPipeline(seed())).toBe("ok");
    const outcomes = new Set<string>();
    for (let i = 0; i < 5_000; i += 1) {
      const bytes = seed();
      const flips = 1 + Math.floor(Math.random() * 4);
      for (let f = 0; f < flips; f += 1) bytes[Math.floor(Math.random() * bytes.length)] = Math.floor(Math.random() * 256);
      const cut = i % 5 === 0 ? bytes.subarray(0, Math.floor(Math.random() * bytes.length)) : bytes;
      expect(() => outcomes.add(runPipeline(cut))).not.toThrow();
    }
    expect(outcomes.size).toBeGreaterThan(2);
  });
});
