import type { UsernameNormalization } from "../db/generated/enums";
import { checkUsernameBytes, normalizeUsername } from "../policy/normalize-username";

export type TIdentity = { ok: true; username: string } | { ok: false; detail: string };

// Who the second factor is for: the account the primary authenticated, never the spelling typed. A directory binds
// "ＡＬＩＣＥ", " alice", "CORP\alice" and "alice@corp" as one entry; looking Twofold's user up by the typed name would
// make each alias a new, unenrolled user. The primary's own name for the account (LDAP attribute, the upstream's
// User-Name, the local row) goes through the same normalization; without one, the typed name is all there is.
export const resolveIdentity = (options: { typed: string; primaryIdentity?: string; mode: UsernameNormalization }): TIdentity => {
  if (options.primaryIdentity === undefined) return { ok: true, username: options.typed };
  // A directory's answer is input too: the same rules as a User-Name.
  const checked = checkUsernameBytes(Buffer.from(options.primaryIdentity, "utf8"));
  if (!checked.ok) return { ok: false, detail: `primary returned an unusable account name: ${checked.detail}` };
  const username = normalizeUsername({ username: checked.text, mode: options.mode });
  return username ? { ok: true, username } : { ok: false, detail: "primary returned an empty account name" };
};
