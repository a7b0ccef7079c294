import { createHash } from "node:crypto";
import { MAX_PASSWORD_LENGTH } from "./constants";
import { secretBytes, type TSecretInput } from "./radius-secret";

// RFC 2865 §5.2 User-Password hiding. Passwords are bytes: whatever the user typed, commas, backslashes and
// non-ASCII included, up to 128 bytes.
const xorBlocks = (input: Buffer, secret: Buffer, authenticator: Buffer, decrypt: boolean): Buffer => {
  const output = Buffer.alloc(input.length);
  let previous = authenticator;
  for (let offset = 0; offset < input.length; offset += 16) {
    const hash = createHash("md5").update(secret).update(previous).digest();
    for (let i = 0; i < 16; i += 1) output[offset + i] = (input[offset + i] as number) ^ (hash[i] as number);
    previous = decrypt ? input.subarray(offset, offset + 16) : output.subarray(offset, offset + 16);
  }
  return output;
};

export type TPasswordDecode = { ok: true; password: Buffer } | { ok: false; detail: string };

export const decryptPassword = (options: { value: Buffer; secret: TSecretInput; authenticator: Buffer }): TPasswordDecode => {
  const { value, secret, authenticator } = options;
  if (value.length < 16 || value.length > MAX_PASSWORD_LENGTH || value.length % 16 !== 0) {
    return { ok: false, detail: `User-Password of ${value.length} bytes` };
  }
  const plain = xorBlocks(value, secretBytes(secret), authenticator, true);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end -= 1;
  // Padding is only ever trailing zeros: a zero followed by data means the secret did not match.
  if (plain.subarray(0, end).includes(0)) return { ok: false, detail: "User-Password does not decode with this secret" };
  return { ok: true, password: plain.subarray(0, end) };
};

export const encryptPassword = (options: { password: Buffer; secret: TSecretInput; authenticator: Buffer }): Buffer => {
  const { password, secret, authenticator } = options;
  const padded = Buffer.alloc(Math.min(MAX_PASSWORD_LENGTH, Math.max(16, Math.ceil(password.length / 16) * 16)));
  password.copy(padded, 0, 0, padded.length);
  return xorBlocks(padded, secretBytes(secret), authenticator, false);
};
