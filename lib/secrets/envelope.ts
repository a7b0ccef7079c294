import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { parseSecretKey } from "./secret-key";

// Envelope format: "v1:<iv b64>:<tag b64>:<ciphertext b64>" (AES-256-GCM). The version prefix leaves room for key rotation.
const PREFIX = "v1";

// As a KeyObject, made once: since Node 24 a cipher keyed with raw bytes builds one on every call (~40 µs of a
// login's TOTP check, which decrypts its seed).
let cachedKey: { raw: string; key: KeyObject } | undefined;

const currentKey = (): KeyObject => {
  const raw = process.env.TWOFOLD_SECRET_KEY;
  if (!raw) throw new Error("TWOFOLD_SECRET_KEY is not set");
  if (cachedKey?.raw !== raw) cachedKey = { raw, key: createSecretKey(parseSecretKey(raw)) };
  return cachedKey.key;
};

export const encryptSecret = (plaintext: string, key: Buffer | KeyObject = currentKey()): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [PREFIX, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
};

export const decryptSecret = (envelope: string, key: Buffer | KeyObject = currentKey()): string => {
  const [version, iv, tag, body] = envelope.split(":");
  if (version !== PREFIX || !iv || !tag || body === undefined) throw new Error("Not a Twofold secret envelope");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  // GCM authentication fails loudly on any tampering with iv, tag or body.
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
};
