import type { UsernameNormalization } from "../db/generated/enums";

// What the directory said, raw: attribute values stay bytes until the pure diff decodes and checks them, so hostile
// answers (invalid UTF-8, control bytes) are judged in one place that tests can reach without a directory.
// accountControl: AD's userAccountControl (decimal text), absent on OpenLDAP.
export type TDirectoryUserEntry = { dn: string; id?: Buffer; name?: Buffer; displayName?: Buffer; email?: Buffer; accountControl?: Buffer };
export type TDirectoryGroupEntry = { dn: string; id?: Buffer; name?: Buffer; memberDns: string[] };
export type TDirectoryRead = { users: TDirectoryUserEntry[]; groups: TDirectoryGroupEntry[] };

// Twofold's side, as far as this server's sync can touch it.
export type TCurrentState = {
  userLinks: { externalId: string; userId: string; dn: string; removedAt: Date | null }[];
  groupLinks: { externalId: string; groupId: string }[];
  users: { id: string; username: string; displayName: string; email: string | null; status: string }[];
  groups: { id: string; name: string; memberIds: string[] }[];
  // Users another server's sync still imports: leaving this directory alone does not disable them.
  linkedElsewhere: string[];
};

export type TComputeSyncDiffInput = { read: TDirectoryRead; current: TCurrentState; chosenGroupDns: string[]; mode: UsernameNormalization };

export type TSyncDiff = {
  creates: { externalId: string; dn: string; username: string; displayName: string; email: string | null }[];
  links: { externalId: string; dn: string; userId: string; username: string }[]; // an existing Twofold user, adopted
  renames: { externalId: string; dn: string; userId: string; from: string; to: string }[];
  updates: { userId: string; username: string; displayName?: { from: string; to: string }; email?: { from: string | null; to: string | null } }[];
  dnChanges: { externalId: string; dn: string }[]; // moved in the tree, same name: only the link is updated
  disables: { externalId: string; userId: string; username: string; why: "left the directory" | "disabled in the directory" }[];
  enables: { externalId: string; userId: string; username: string }[];
  groupCreates: { externalId: string; dn: string; name: string }[];
  groupLinks: { externalId: string; dn: string; groupId: string; name: string }[];
  groupRenames: { externalId: string; groupId: string; from: string; to: string }[];
  memberAdds: { groupExternalId: string; group: string; username: string }[];
  memberRemoves: { groupExternalId: string; group: string; userId: string; username: string }[];
  refused: { dn: string; reason: string }[];
  warnings: { dn: string; detail: string }[];
};

export const changeCount = (diff: TSyncDiff): number =>
  diff.creates.length + diff.links.length + diff.renames.length + diff.updates.length + diff.dnChanges.length + diff.disables.length + diff.enables.length +
  diff.groupCreates.length + diff.groupLinks.length + diff.groupRenames.length + diff.memberAdds.length + diff.memberRemoves.length;
