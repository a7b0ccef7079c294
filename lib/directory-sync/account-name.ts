import type { UsernameNormalization } from "../db/generated/enums";
import { resolveIdentity, type TIdentity } from "../auth-flow/resolve-identity";
import { checkUsernameBytes } from "../policy/normalize-username";
import { ZUsernameSchema } from "../users/schema";

// The Twofold username of a directory entry: the bytes checked as a User-Name is, then the very normalization a login
// applies to the directory's answer (resolveIdentity), then the console's username rules. One path, so a synced user
// is exactly the user a login of that entry finds.
export const accountName = (name: Buffer | undefined, mode: UsernameNormalization): TIdentity => {
  if (!name) return { ok: false, detail: "entry has no account name attribute" };
  const bytes = checkUsernameBytes(name);
  if (!bytes.ok) return { ok: false, detail: bytes.detail.replace("User-Name", "account name") };
  const identity = resolveIdentity({ typed: "", primaryIdentity: bytes.text, mode });
  if (!identity.ok) return identity;
  const checked = ZUsernameSchema.safeParse(identity.username);
  return checked.success && checked.data === identity.username
    ? identity
    : { ok: false, detail: `account name "${identity.username}" is not a usable username (spaces, or over 200 characters)` };
};
