export type TCheckPermittedGroupsOptions = {
  permittedGroups: readonly { id: string; name: string }[]; // the application's; none: everyone may sign in
  user: { groupIds: readonly string[] } | undefined; // the Twofold user; undefined: none by that name, or unreadable
  unreadable: boolean; // reading the user failed, so its Twofold groups are unknown
  directoryGroups: readonly string[]; // the groups the primary named (LDAP), matched to Twofold groups by name
  directoryNamesGroups: boolean; // the primary is a directory that names the user's groups (LDAP)
};

export type TPermittedGroupsVerdict = { ok: true } | { ok: false; reason: "unknown_user" | "user_not_in_permitted_group" | "error"; detail?: string };

// The one verdict on an application's permitted groups, for RADIUS (lib/auth-flow) and the Duo-compatible API alike,
// said as what is known. A directory names the user's groups, so its verdict stands; otherwise a user not in Twofold
// has no groups to be judged on and is unknown, not "not permitted". An unreadable user's groups are unknown: an
// error, not a verdict on membership.
export const checkPermittedGroups = ({ permittedGroups, user, unreadable, directoryGroups, directoryNamesGroups }: TCheckPermittedGroupsOptions): TPermittedGroupsVerdict => {
  if (permittedGroups.length === 0) return { ok: true };
  const ids = new Set(user?.groupIds ?? []);
  const directory = new Set(directoryGroups.map((group) => group.toLowerCase()));
  if (permittedGroups.some((group) => ids.has(group.id) || directory.has(group.name.toLowerCase()))) return { ok: true };
  if (unreadable) return { ok: false, reason: "error", detail: "user unreadable: Twofold group membership unknown" };
  return { ok: false, reason: user || directoryNamesGroups ? "user_not_in_permitted_group" : "unknown_user" };
};
