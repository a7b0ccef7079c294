import type { UsernameNormalization } from "../db/generated/enums";

export type TNormalizeUsernameOptions = { username: string; mode: UsernameNormalization };

// Total on purpose: a RADIUS User-Name may be any bytes, and a throw here would drop a login instead of rejecting it.
export const normalizeUsername = ({ username, mode }: TNormalizeUsernameOptions): string => {
  let name = typeof username === "string" ? username.trim() : "";
  if (mode === "strip_domain") {
    // DOMAIN\user → user (last backslash: "A\B\user" is still user)
    const backslash = name.lastIndexOf("\\");
    if (backslash >= 0) name = name.slice(backslash + 1);
    // user@domain → user (first @: a local part with "@" is not a real directory name, a domain never has one)
    const at = name.indexOf("@");
    if (at > 0) name = name.slice(0, at).trim();
  }
  return name.toLowerCase();
};
