import { createHash, randomBytes } from "node:crypto";

// RFC 2548 §2.4.2-2.4.3: MS-MPPE-Send-Key / MS-MPPE-Recv-Key values are Salt(2) + the key-length byte, the key and
// zero padding to a multiple of 16, hidden like User-Password but chained from MD5(secret + Request Authenticator +
// Salt). So a key from ISE only decrypts with ISE's secret and the authenticator Twofold sent ISE, and the NAS's copy
// must be hidden again with the NAS's secret and the NAS's own Request Authenticator.
const chain = (options: { data: Buffer; secret: Buffer; authenticator: Buffer; salt: Buffer; decrypt: boolean }): Buffer => {
  const out = Buffer.alloc(options.data.length);
  let previous: Buffer = Buffer.concat([options.authenticator, options.salt]);
  for (let offset = 0; offset < options.data.length; offset += 16) {
    const b = createHash("md5").update(options.secret).update(previous).digest();
    for (let i = 0; i < 16; i += 1) out[offset + i] = options.data[offset + i]! ^ b[i]!;
    previous = (options.decrypt ? options.data : out).subarray(offset, offset + 16);
  }
  return out;
};

export type TMppeKeyDecode = { ok: true; key: Buffer } | { ok: false; detail: string };

export const decryptMppeKey = (options: { value: Buffer; secret: Buffer; authenticator: Buffer }): TMppeKeyDecode => {
  const { value } = options;
  if (value.length < 18 || (value.length - 2) % 16 !== 0) return { ok: false, detail: `MPPE key attribute of ${value.length} bytes` };
  const salt = value.subarray(0, 2);
  if ((salt[0]! & 0x80) === 0) return { ok: false, detail: "MPPE key salt without its high bit" };
  const plain = chain({ data: value.subarray(2), secret: options.secret, authenticator: options.authenticator, salt, decrypt: true });
  const length = plain[0]!;
  // The reply's Response Authenticator already proved the secret; a length past the data means the authenticator used
  // was not the one sent. Padding is only "recommended" to be zeros (RFC 2548), so it is not checked.
  if (length === 0 || length > plain.length - 1) return { ok: false, detail: "MPPE key does not decrypt with this secret" };
  return { ok: true, key: plain.subarray(1, 1 + length) };
};

// `salt` for tests; otherwise random with the high bit set. Two keys in one packet must not share a salt: callers pass
// `avoid` the salt already used.
export const encryptMppeKey = (options: { key: Buffer; secret: Buffer; authenticator: Buffer; salt?: Buffer; avoid?: Buffer }): Buffer => {
  const pick = () => {
    const salt = Buffer.from(options.salt ?? randomBytes(2));
    salt[0] = salt[0]! | 0x80;
    return salt;
  };
  let salt = pick();
  while (!options.salt && options.avoid && salt.equals(options.avoid)) salt = pick();
  const plain = Buffer.alloc(Math.ceil((options.key.length + 1) / 16) * 16);
  plain[0] = options.key.length;
  options.key.copy(plain, 1);
  return Buffer.concat([salt, chain({ data: plain, secret: options.secret, authenticator: options.authenticator, salt, decrypt: false })]);
};
