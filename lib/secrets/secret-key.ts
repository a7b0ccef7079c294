import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// TWOFOLD_SECRET_KEY: 32 bytes as base64 (44 chars) or hex (64 chars).
export const parseSecretKey = (value: string): Buffer => {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(trimmed) && key.toString("base64") !== trimmed)) {
    throw new Error("TWOFOLD_SECRET_KEY must be 32 random bytes, base64 or hex encoded (generate one: openssl rand -base64 32)");
  }
  return key;
};

// The embedded default keeps its key beside its database, so a newcomer needs nothing.
export const loadOrCreateKeyFile = (dataDir: string): string => {
  const file = path.join(dataDir, "secret.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
};
