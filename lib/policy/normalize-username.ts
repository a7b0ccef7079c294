import type { UsernameNormalization } from "../db/generated/enums";
import { caseFold } from "./case-fold";

export type TNormalizeUsernameOptions = { username: string; mode: UsernameNormalization };

// One spelling per account. Directories match names loosely (case, Unicode width and compatibility forms: OpenLDAP's
// caseIgnoreMatch finds uid=alice for a fullwidth "ａｌｉｃｅ"), so Twofold must fold at least as far as they do or an
// alias becomes a second, unenrolled user. NFKC first, so a fullwidth "＼" or "＠" is a real domain separator.
// Then full Unicode case folding (./case-fold.ts), not lower-casing: lower-casing is context-dependent and not a caseless
// match ("ΝΙΚΟΣ" lower-cases to "νικος", a typed "νικοσ" stays; "STRASSE" and "straße" stay apart), folding gives one
// key per caseless name. NFKC again, as Unicode's NFKC_Casefold does (folding can undo a composition); on every code
// point checkUsernameBytes lets through this is NFKC_Casefold (tested), the way identifiers are compared (UAX #31).
// Total on purpose: a throw here would drop a login instead of rejecting it.
export const normalizeUsername = ({ username, mode }: TNormalizeUsernameOptions): string => {
  let name = typeof username === "string" ? caseFold(username.normalize("NFKC")).normalize("NFKC").trim() : "";
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

// Control characters (C0, DEL, C1), format characters (zero-width, bidi overrides), line and paragraph separators, and
// every Default_Ignorable_Code_Point (variation selectors, Hangul fillers, tag characters, the Mongolian free variation
// selectors, the combining grapheme joiner, their unassigned reserve) have no place in an account name: they render as
// nothing, so they only ever serve to make one name look like another, in the directory or in the auth log.
export const FORBIDDEN_USERNAME_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

// A User-Name as the NAS sent it, checked before anything else sees it: valid UTF-8, no control or invisible characters.
export const checkUsernameBytes = (bytes: Buffer | undefined): TUsernameCheck => {
  if (!bytes || bytes.length === 0) return { ok: false, detail: "no User-Name" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, detail: "User-Name is not valid UTF-8" };
  }
  const match = FORBIDDEN_USERNAME_CHARACTER.exec(text);
  if (match) return { ok: false, detail: `User-Name contains U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` };
  return { ok: true, text };
};
