import { z } from "zod";
import { checkUsernameBytes } from "../policy/normalize-username";

export type TDecoded = { ok: true; text: string } | { ok: false; detail: string };

const FORBIDDEN = /[\p{Cc}\p{Cf}]/u;
const MAX_TEXT = 200; // the console's limit for display names and email addresses

// A display name or email from the directory: valid UTF-8, no control or invisible characters (they would end up in
// mail headers and the console), within the console's length. Anything else is dropped with a warning, not imported.
export const decodeDirectoryText = (value: Buffer | undefined, label: string): TDecoded | undefined => {
  if (value === undefined || value.length === 0) return undefined;
  const checked = checkUsernameBytes(value);
  if (!checked.ok) return { ok: false, detail: `${label}: ${checked.detail.replace("User-Name", "value")}` };
  const text = checked.text.trim();
  if (FORBIDDEN.test(text)) return { ok: false, detail: `${label} contains control characters` };
  if (text.length > MAX_TEXT) return { ok: false, detail: `${label} is longer than ${MAX_TEXT} characters` };
  return { ok: true, text };
};

const ZEmailSchema = z.email().max(MAX_TEXT);

export const decodeDirectoryEmail = (value: Buffer | undefined): TDecoded | undefined => {
  const decoded = decodeDirectoryText(value, "email");
  if (!decoded?.ok) return decoded;
  return ZEmailSchema.safeParse(decoded.text).success ? decoded : { ok: false, detail: `email "${decoded.text}" is not a valid address` };
};

// The entry's stable id: OpenLDAP's entryUUID (text), AD's objectGUID (16 raw bytes). Stored as text either way.
export const decodeDirectoryId = (value: Buffer | undefined): string | undefined => {
  if (value === undefined || value.length === 0) return undefined;
  const text = value.toString("latin1");
  if (/^[0-9a-fA-F-]{32,36}$/.test(text)) return text.toLowerCase();
  return value.length === 16 ? `guid:${value.toString("hex")}` : `raw:${value.toString("hex")}`;
};

// AD's userAccountControl: bit 0x2 (ACCOUNTDISABLE) means the account cannot sign in. Anything but a decimal
// integer is "invalid": the entry is then refused and its Twofold user left exactly as it is.
const ACCOUNTDISABLE = 0x2;
export const decodeAccountControl = (value: Buffer | undefined): "enabled" | "disabled" | "invalid" => {
  if (value === undefined || value.length === 0) return "enabled";
  const text = value.toString("latin1").trim();
  if (!/^-?\d{1,11}$/.test(text)) return "invalid";
  return (Number(text) & ACCOUNTDISABLE) !== 0 ? "disabled" : "enabled";
};

// DNs compare loosely (case, spaces around separators), as directories compare them.
export const dnKey = (dn: string): string => dn.normalize("NFKC").toLowerCase().replace(/\s*([,=+])\s*/g, "$1").trim();
