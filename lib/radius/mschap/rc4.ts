// RC4, for the MS-CHAP password-change blob (RFC 2759 §8.9): OpenSSL 3 keeps it in its legacy provider.
export const rc4 = (options: { key: Buffer; data: Buffer }): Buffer => {
  const s = Array.from({ length: 256 }, (_, i) => i);
  const { key, data } = options;
  for (let i = 0, j = 0; i < 256; i += 1) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n += 1) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
};
