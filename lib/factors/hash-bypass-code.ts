import { createHmac, hkdfSync } from "node:crypto";
import { parseSecretKey } from "../secrets/secret-key";

// Why HMAC and not sha256 or argon2: a bypass code is typed into a VPN client, so it is short (12 digits, ~40 bits).
// A plain sha256 of it falls to brute force in seconds from a database dump. argon2 would cost ~50 ms of CPU per stored
// code on every RADIUS request and still only slow a 40-bit search. An HMAC keyed with a key derived from
// TWOFOLD_SECRET_KEY (which is not in the database) makes a dump alone useless, and stays deterministic, so a code is
// found and consumed with one indexed conditional UPDATE. Codes also expire and lockout limits online guessing.
let cached: { raw: string; key: Buffer } | undefined;

const bypassKey = (): Buffer => {
  const raw = process.env.TWOFOLD_SECRET_KEY;
  if (!raw) throw new Error("TWOFOLD_SECRET_KEY is not set");
  if (cached?.raw !== raw) cached = { raw, key: Buffer.from(hkdfSync("sha256", parseSecretKey(raw), Buffer.alloc(0), "twofold bypass codes v1", 32)) };
  return cached.key;
};

export const normalizeBypassCode = (code: string): string => code.replace(/[\s-]/g, "");

export const hashBypassCode = (code: string): string => `h1:${createHmac("sha256", bypassKey()).update(normalizeBypassCode(code)).digest("hex")}`;
