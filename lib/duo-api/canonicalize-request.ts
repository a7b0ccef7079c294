import { createHash } from "node:crypto";
import type { TApiParam } from "./parse-form-params";

// RFC 3986 unreserved bytes stay, every other byte is %XX (upper case): what duo_client (quote(..., "~")), libduo
// (urlenc_encode) and duo_api_nodejs (encodeURIComponent plus !'()*) all produce.
const UNRESERVED = /[A-Za-z0-9_.~-]/;
export const encodeComponent = (bytes: Buffer): string => {
  let out = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
};

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Sorted by encoded key, then encoded value (OAuth 1.0 normalization, as Duo's clients sort).
export const canonParams = (params: readonly TApiParam[]): string =>
  params
    .map((param) => [encodeComponent(param.key), encodeComponent(param.value)] as const)
    .sort((a, b) => byCodeUnit(a[0], b[0]) || byCodeUnit(a[1], b[1]))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");

const sha512Hex = (data: Buffer | string): string => createHash("sha512").update(data).digest("hex");

export type TSignatureVersion = 1 | 2 | 4 | 5;

export type TCanonicalizeOptions = {
  version: TSignatureVersion;
  method: string;
  host: string; // the bare host name the client was configured with (no port)
  path: string;
  params: readonly TApiParam[]; // query and form parameters; for a JSON body only the query's
  date?: string; // the Date (or X-Duo-Date) header, byte for byte; required from v2 on
  body?: Buffer; // v4/v5: the raw body, hashed
};

// v1: METHOD, host, path, params. v2: the Date line first. v4: v2 plus the SHA-512 of the body (JSON). v5: v4 plus the
// SHA-512 of the (empty) signed-headers block, as duo_api_nodejs signs.
export const canonicalize = ({ version, method, host, path, params, date = "", body = Buffer.alloc(0) }: TCanonicalizeOptions): string => {
  const base = [method.toUpperCase(), host.toLowerCase(), path, canonParams(params)];
  if (version === 1) return base.join("\n");
  if (version === 2) return [date, ...base].join("\n");
  if (version === 4) return [date, ...base, sha512Hex(body)].join("\n");
  return [date, ...base, sha512Hex(body), sha512Hex("")].join("\n");
};
