// The auth log's one rule for text, applied by the writer to every text and JSON column, so no value a NAS sends can
// make PostgreSQL refuse a row (text cannot hold U+0000, jsonb refuses \u0000 and unpaired surrogates) and a log
// viewer never receives raw control characters (ESC, CSI). Visible and reversible (`readStoredText`):
//   C0 controls and DEL (U+0000–U+001F, U+007F)            → \xHH    (the byte the NAS sent)
//   U+DC80–U+DCFF unpaired (a byte that was not UTF-8, as
//   `decodeNasBytes` carries it)                           → \xHH    (that byte)
//   C1 controls (U+0080–U+009F), other unpaired surrogates → \uHHHH  (the UTF-16 code unit)
//   a backslash the reader would take for an escape
//   (followed by xHH or uHHHH)                             → \x5c    (the backslash's byte)
// Everything else is stored as sent, so `CORP\alice`, `\\server\share`, `ａｌｉｃｅ` and emoji read exactly as typed.
const ESCAPE_LIKE = /^(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/;

const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");
const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
const needsWork = (unit: number) => unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f) || (unit >= 0xd800 && unit <= 0xdfff) || unit === 0x5c;

export const storableText = (value: string): string => {
  let clean = true;
  for (let index = 0; index < value.length && clean; index += 1) clean = !needsWork(value.charCodeAt(index));
  if (clean) return value;
  const pieces: string[] = [];
  for (let index = 0; index < value.length; index += 1) {
    const unit = value.charCodeAt(index);
    if (isHigh(unit) && isLow(value.charCodeAt(index + 1))) {
      pieces.push(value.slice(index, index + 2));
      index += 1;
    } else if (unit <= 0x1f || unit === 0x7f) pieces.push(`\\x${hex(unit, 2)}`);
    else if (unit >= 0xdc80 && unit <= 0xdcff) pieces.push(`\\x${hex(unit - 0xdc00, 2)}`);
    else if ((unit >= 0x80 && unit <= 0x9f) || isHigh(unit) || isLow(unit)) pieces.push(`\\u${hex(unit, 4)}`);
    else pieces.push(value[index]!);
  }
  // Right to left, so each literal backslash can see what follows it in the output (which may be an escape).
  let following = "";
  for (let index = pieces.length - 1; index >= 0; index -= 1) {
    if (pieces[index] === "\\" && ESCAPE_LIKE.test(following)) pieces[index] = "\\x5c";
    following = (pieces[index]! + following).slice(0, 6);
  }
  return pieces.join("");
};

// Every string in a JSON value, keys included, through the same rule (jsonb refuses the same things text does).
export const storableJson = (value: unknown): unknown => {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [storableText(key), storableJson(entry)]));
  }
  return value;
};

// The inverse: the string as the writer was given it (bytes that were not UTF-8 as U+DC80–U+DCFF, see decodeNasBytes).
export const readStoredText = (stored: string): string =>
  stored.replace(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))/g, (_match, byte?: string, unit?: string) => {
    if (byte) {
      const value = Number.parseInt(byte, 16);
      return String.fromCharCode(value < 0x80 ? value : 0xdc00 + value);
    }
    return String.fromCharCode(Number.parseInt(unit!, 16));
  });
