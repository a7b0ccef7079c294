// One request parameter as bytes: Duo signs the percent-encoded bytes, so the canonical string is rebuilt from these,
// never from a decoded-and-re-encoded JavaScript string (a value that is not UTF-8 must still verify, then be refused).
export type TApiParam = { key: Buffer; value: Buffer };

const PLUS = 0x2b;
const PERCENT = 0x25;
const hexValue = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
};

// application/x-www-form-urlencoded: "+" is a space (python's urlencode sends it), "%XX" a byte. A malformed escape is
// an error rather than a guess, so two parsers can never read one body two ways.
const decodeComponent = (part: Buffer): Buffer | undefined => {
  const out = Buffer.alloc(part.length);
  let length = 0;
  for (let index = 0; index < part.length; index += 1) {
    const byte = part[index];
    if (byte === PLUS) out[length++] = 0x20;
    else if (byte === PERCENT) {
      const high = hexValue(part[index + 1]);
      const low = hexValue(part[index + 2]);
      if (high < 0 || low < 0) return undefined;
      out[length++] = high * 16 + low;
      index += 2;
    } else if (byte !== undefined) out[length++] = byte;
  }
  return out.subarray(0, length);
};

export type TParseResult = { ok: true; params: TApiParam[] } | { ok: false; detail: string };

export const parseFormParams = (bytes: Buffer): TParseResult => {
  const params: TApiParam[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26, start); // "&"
    if (end < 0) end = bytes.length;
    const part = bytes.subarray(start, end);
    start = end + 1;
    if (part.length === 0) continue;
    const equals = part.indexOf(0x3d); // "="
    const key = decodeComponent(equals < 0 ? part : part.subarray(0, equals));
    const value = decodeComponent(equals < 0 ? Buffer.alloc(0) : part.subarray(equals + 1));
    if (!key || !value) return { ok: false, detail: "malformed percent-encoding" };
    params.push({ key, value });
  }
  return { ok: true, params };
};

// A JSON body (signature v4/v5): an object of strings, numbers or booleans; the signature covers the body's hash.
export const parseJsonParams = (bytes: Buffer): TParseResult => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { ok: false, detail: "body is not JSON" };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, detail: "JSON body must be an object" };
  const params: TApiParam[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") return { ok: false, detail: `${key}: unsupported value` };
      params.push({ key: Buffer.from(key, "utf8"), value: Buffer.from(String(item), "utf8") });
    }
  }
  return { ok: true, params };
};
