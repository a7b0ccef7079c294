import type { UsernameNormalization } from "../db/generated/enums";

export type TNormalizeUsernameOptions = { username: string; mode: UsernameNormalization };

// One spelling per account. Directories match names loosely (case, Unicode width and compatibility forms: OpenLDAP's
// caseIgnoreMatch finds uid=alice for a fullwidth "ａｌｉｃｅ"), so Twofold must fold at least as far as they do or an
// alias becomes a second, unenrolled user. NFKC first, so a fullwidth "＼" or "＠" is a real domain separator.
// Total on purpose: a throw here would drop a login instead of rejecting it.
export const normalizeUsername = ({ username, mode }: TNormalizeUsernameOptions): string => {
  let name = typeof username === "string" ? username.normalize("NFKC").toLowerCase().normalize("NFKC").trim() : "";
  if (mode === "strip_domain") {
    // DOMAIN\user → user (last backslash: "A\B\user" is still user)
    const backslash = name.lastIndexOf("\\");
    if (backslash >= 0) name = name.slice(backslash + 1);
    // user@domain → user (first @: a local part with "@" is not a real directory name, a domain never has one)
    const at = name.indexOf("@");
    if (at > 0) name = name.slice(0, at);
    name = name.trim();
  }
  return name;
};

export type TUsernameCheck = { ok: true; text: string } | { ok: false; detail: string };

// Control characters (C0, DEL, C1) and invisible format characters (zero-width, bidi overrides) have no place in an
// account name: they only ever serve to make one name look like another, in the directory or in the auth log.
const FORBIDDEN = /[\p{Cc}\p{Cf}]/u;

// A User-Name as the NAS sent it, checked before anything else sees it: valid UTF-8, no control or format characters.
export const checkUsernameBytes = (bytes: Buffer | undefined): TUsernameCheck => {
  if (!bytes || bytes.length === 0) return { ok: false, detail: "no User-Name" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, detail: "User-Name is not valid UTF-8" };
  }
  const match = FORBIDDEN.exec(text);
  if (match) return { ok: false, detail: `User-Name contains U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` };
  return { ok: true, text };
};
