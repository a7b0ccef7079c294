// RFC 1320 MD4. MS-CHAP hashes passwords with it, and OpenSSL 3 (Node 17+) keeps MD4 in its legacy provider, which
// Node does not load: `createHash("md4")` throws. Run over a password or a 16-byte hash: a passcode round hashes each
// candidate code, so the loop avoids allocation.
const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;

const ORDER = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
  [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15],
] as const;
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
] as const;
const ADD = [0, 0x5a827999, 0x6ed9eba1] as const;

const mix = (round: number, b: number, c: number, d: number): number => {
  if (round === 0) return (b & c) | (~b & d);
  if (round === 1) return (b & c) | (b & d) | (c & d);
  return b ^ c ^ d;
};

export const md4 = (input: Buffer): Buffer => {
  const length = Math.ceil((input.length + 9) / 64) * 64;
  const padded = Buffer.alloc(length);
  input.copy(padded);
  padded[input.length] = 0x80;
  padded.writeUInt32LE((input.length * 8) >>> 0, length - 8);
  padded.writeUInt32LE(Math.floor(input.length / 0x20000000), length - 4);
  let [a, b, c, d] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Uint32Array(16);
  for (let block = 0; block < length; block += 64) {
    for (let i = 0; i < 16; i += 1) x[i] = padded.readUInt32LE(block + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];
    for (let round = 0; round < 3; round += 1) {
      const order = ORDER[round]!;
      const shifts = SHIFTS[round]!;
      for (let i = 0; i < 16; i += 1) {
        const t = rotl((a + mix(round, b, c, d) + x[order[i]!]! + ADD[round]!) >>> 0, shifts[i % 4]!);
        a = d;
        d = c;
        c = b;
        b = t;
      }
    }
    a = (a + aa) >>> 0;
    b = (b + bb) >>> 0;
    c = (c + cc) >>> 0;
    d = (d + dd) >>> 0;
  }
  const out = Buffer.alloc(16);
  out.writeUInt32LE(a, 0);
  out.writeUInt32LE(b, 4);
  out.writeUInt32LE(c, 8);
  out.writeUInt32LE(d, 12);
  return out;
};
