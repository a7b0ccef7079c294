import { accountName } from "./account-name";
import { decodeAccountControl, decodeDirectoryEmail, decodeDirectoryId, decodeDirectoryText, dnKey } from "./decode-directory-value";
import { expandGroupMembers } from "./expand-group-members";
import type { TComputeSyncDiffInput, TSyncDiff } from "./sync-types";

type TValidUser = { externalId: string; dn: string; username: string; displayName: string | null; email: string | null | undefined };

const byKey = <T>(rows: T[], key: (row: T) => string) => new Map(rows.map((row) => [key(row), row]));
const sortBy = <T>(rows: T[], key: (row: T) => string) => rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

// Directory entries + Twofold's users and groups → what a sync would change. Pure: the console shows it as the
// dry-run, and apply recomputes it inside its transaction. Account names come from accountName (the login's own path).
export const computeSyncDiff = ({ read, current, chosenGroupDns, mode }: TComputeSyncDiffInput): TSyncDiff => {
  const diff: TSyncDiff = {
    creates: [], links: [], renames: [], updates: [], dnChanges: [], disables: [], enables: [],
    groupCreates: [], groupLinks: [], groupRenames: [], memberAdds: [], memberRemoves: [], refused: [], warnings: [],
  };
  const refuse = (dn: string, reason: string) => diff.refused.push({ dn, reason });
  const usersById = byKey(current.users, (user) => user.id);
  const usersByName = byKey(current.users, (user) => user.username);
  const userLinks = byKey(current.userLinks, (link) => link.externalId);
  const linkByUserId = byKey(current.userLinks, (link) => link.userId);
  const groupsById = byKey(current.groups, (group) => group.id);
  const groupLinks = byKey(current.groupLinks, (link) => link.externalId);

  // Chosen groups. A chosen group that cannot be read makes the set of members incomplete: nobody missing is disabled then.
  const groupsByDn = byKey(read.groups, (group) => dnKey(group.dn));
  let scopeComplete = true;
  const chosen: { externalId: string; dn: string; name: string; members: Set<string> }[] = [];
  for (const chosenDn of [...new Set(chosenGroupDns.map(dnKey))].sort()) {
    const entry = groupsByDn.get(chosenDn);
    const name = entry && decodeDirectoryText(entry.name, "group name");
    const externalId = decodeDirectoryId(entry?.id);
    if (!entry) diff.warnings.push({ dn: chosenDn, detail: "chosen group not found in the directory: its members are left as they are" });
    else if (!name?.ok || !externalId) refuse(entry.dn, name && !name.ok ? name.detail : name ? "group has no entryUUID or objectGUID" : "group has no name");
    else {
      chosen.push({ externalId, dn: entry.dn, name: name.text, members: expandGroupMembers({ groups: groupsByDn, start: chosenDn }) });
      continue;
    }
    scopeComplete = false;
  }
  // Two chosen groups of one name would be one Twofold group (and one name at login): refuse both.
  const groupNameCount = new Map<string, number>();
  for (const group of chosen) groupNameCount.set(group.name.toLowerCase(), (groupNameCount.get(group.name.toLowerCase()) ?? 0) + 1);
  const groups = chosen.filter((group) => {
    if ((groupNameCount.get(group.name.toLowerCase()) ?? 0) < 2) return true;
    refuse(group.dn, `another chosen group is also named "${group.name}"`);
    scopeComplete = false;
    return false;
  });

  // Users in scope: members (nested) of a chosen group, or everyone the filter finds when no group is chosen.
  const inScope = new Set(groups.flatMap((group) => [...group.members]));
  const scoped = chosenGroupDns.length === 0 ? read.users : read.users.filter((entry) => inScope.has(dnKey(entry.dn)));
  const protectedIds = new Set<string>(); // entries refused this run: their users are left exactly as they are
  const candidates: TValidUser[] = [];
  const disabledInDirectory = new Set<string>();
  const seenIds = new Set<string>();
  for (const entry of scoped) {
    const externalId = decodeDirectoryId(entry.id);
    if (!externalId) { refuse(entry.dn, "entry has no entryUUID or objectGUID"); continue; }
    if (seenIds.has(externalId)) { refuse(entry.dn, `another entry has the same id ${externalId}`); protectedIds.add(externalId); continue; }
    seenIds.add(externalId);
    // Disabled in AD: not a user in scope (never created; a linked one is disabled below, and enabled again when
    // the account is). An unreadable flag refuses the entry rather than guess either way.
    const control = decodeAccountControl(entry.accountControl);
    if (control === "invalid") { refuse(entry.dn, "userAccountControl is not a number"); protectedIds.add(externalId); continue; }
    if (control === "disabled") { disabledInDirectory.add(externalId); continue; }
    const identity = accountName(entry.name, mode);
    if (!identity.ok) {
      refuse(entry.dn, identity.detail);
      protectedIds.add(externalId);
      continue;
    }
    const displayName = decodeDirectoryText(entry.displayName, "display name");
    const email = decodeDirectoryEmail(entry.email);
    for (const problem of [displayName, email]) if (problem && !problem.ok) diff.warnings.push({ dn: entry.dn, detail: `${problem.detail}: left unchanged` });
    candidates.push({
      externalId, dn: entry.dn, username: identity.username,
      displayName: displayName === undefined ? "" : displayName.ok ? displayName.text : null,
      email: email === undefined ? null : email.ok ? email.text : undefined,
    });
  }
  // Two entries folding to one account name (ALICE and ａｌｉｃｅ): which person a login means is unknowable. Both refused.
  const nameCount = new Map<string, number>();
  for (const user of candidates) nameCount.set(user.username, (nameCount.get(user.username) ?? 0) + 1);
  const valid = candidates.filter((user) => {
    if ((nameCount.get(user.username) ?? 0) < 2) return true;
    refuse(user.dn, `another directory entry has the same account name "${user.username}" after normalization`);
    protectedIds.add(user.externalId);
    return false;
  });
  const validIds = new Set(valid.map((user) => user.externalId));

  const finalUserIdByName = new Map<string, string | undefined>(); // undefined: created by this sync
  const adopted = new Set<string>();
  for (const user of valid) {
    const link = userLinks.get(user.externalId);
    const linked = link && usersById.get(link.userId);
    const holder = usersByName.get(user.username);
    if (linked) {
      if (linked.username !== user.username) {
        if (holder && holder.id !== linked.id) { refuse(user.dn, `renamed to "${user.username}", which another Twofold user already has`); protectedIds.add(user.externalId); continue; }
        diff.renames.push({ externalId: user.externalId, dn: user.dn, userId: linked.id, from: linked.username, to: user.username });
      }
      if (link.removedAt && linked.status === "disabled") diff.enables.push({ externalId: user.externalId, userId: linked.id, username: user.username });
    } else if (holder) {
      const holderLink = linkByUserId.get(holder.id);
      if (holderLink && validIds.has(holderLink.externalId)) { refuse(user.dn, `"${user.username}" is already imported from another entry`); protectedIds.add(user.externalId); continue; }
      diff.links.push({ externalId: user.externalId, dn: user.dn, userId: holder.id, username: user.username });
      adopted.add(holder.id);
      if (holderLink?.removedAt && holder.status === "disabled") diff.enables.push({ externalId: user.externalId, userId: holder.id, username: user.username });
    } else {
      diff.creates.push({ externalId: user.externalId, dn: user.dn, username: user.username, displayName: user.displayName ?? "", email: user.email ?? null });
      finalUserIdByName.set(user.username, undefined);
      continue;
    }
    const existing = linked ?? holder!;
    finalUserIdByName.set(user.username, existing.id);
    const update: TSyncDiff["updates"][number] = { userId: existing.id, username: user.username };
    if (user.displayName !== null && user.displayName !== existing.displayName) update.displayName = { from: existing.displayName, to: user.displayName };
    if (user.email !== undefined && user.email !== existing.email) update.email = { from: existing.email, to: user.email };
    if (update.displayName || update.email) diff.updates.push(update);
  }

  // Gone from the directory (or from every chosen group): disabled, never deleted, so the auth log keeps its user.
  // An entry the directory lists as disabled is disabled on that word alone; one merely missing from the answer only
  // when the answer can be trusted to be whole (some enabled user in scope, every chosen group read).
  const linkedElsewhere = new Set(current.linkedElsewhere);
  const missing = (link: TComputeSyncDiffInput["current"]["userLinks"][number]) => !validIds.has(link.externalId) && !disabledInDirectory.has(link.externalId) && !link.removedAt;
  let trustMissing = true;
  if (scopeComplete && valid.length === 0 && current.userLinks.some((link) => !link.removedAt)) {
    const beyond = disabledInDirectory.size === 0 ? "nobody is disabled" : "only the accounts disabled there are disabled";
    diff.warnings.push({ dn: "", detail: `the directory returned no users in scope: ${beyond} (check the filter and the chosen groups)` });
    trustMissing = false;
  } else if (!scopeComplete && current.userLinks.some(missing)) {
    diff.warnings.push({ dn: "", detail: "a chosen group could not be read: only the accounts disabled in the directory are disabled this run" });
    trustMissing = false;
  }
  for (const link of current.userLinks) {
    const user = usersById.get(link.userId);
    if (!user || validIds.has(link.externalId) || protectedIds.has(link.externalId) || link.removedAt || adopted.has(user.id)) continue;
    if (linkedElsewhere.has(user.id) || user.status === "disabled") continue;
    const told = disabledInDirectory.has(link.externalId);
    if (told || trustMissing) diff.disables.push({ externalId: link.externalId, userId: user.id, username: user.username, why: told ? "disabled in the directory" : "left the directory" });
  }

  // Groups: created, adopted by name, or renamed with their directory entry.
  const groupsByName = byKey(current.groups, (group) => group.name.toLowerCase());
  const groupIdByExternal = new Map<string, string | undefined>();
  for (const group of groups) {
    const linked = groupLinks.get(group.externalId);
    const existing = linked && groupsById.get(linked.groupId);
    const holder = groupsByName.get(group.name.toLowerCase());
    if (existing) {
      groupIdByExternal.set(group.externalId, existing.id);
      if (existing.name === group.name) continue;
      if (holder && holder.id !== existing.id) diff.warnings.push({ dn: group.dn, detail: `renamed to "${group.name}", which another group already has: name left unchanged` });
      else diff.groupRenames.push({ externalId: group.externalId, groupId: existing.id, from: existing.name, to: group.name });
    } else if (holder) {
      groupIdByExternal.set(group.externalId, holder.id);
      diff.groupLinks.push({ externalId: group.externalId, dn: group.dn, groupId: holder.id, name: holder.name });
    } else {
      groupIdByExternal.set(group.externalId, undefined);
      diff.groupCreates.push({ externalId: group.externalId, dn: group.dn, name: group.name });
    }
  }

  // Memberships of the chosen groups follow the directory (nested groups expanded).
  const validByDn = byKey(valid, (user) => dnKey(user.dn));
  const protectedUserIds = new Set([...protectedIds].map((id) => userLinks.get(id)?.userId).filter((id): id is string => id !== undefined));
  for (const group of groups) {
    const groupId = groupIdByExternal.get(group.externalId);
    const currentIds = new Set(groupId ? (groupsById.get(groupId)?.memberIds ?? []) : []);
    const wanted = new Set<string>();
    for (const memberDn of group.members) {
      const user = validByDn.get(memberDn);
      if (!user || !finalUserIdByName.has(user.username)) continue;
      const userId = finalUserIdByName.get(user.username);
      if (userId) wanted.add(userId);
      if (!userId || !currentIds.has(userId)) diff.memberAdds.push({ groupExternalId: group.externalId, group: group.name, username: user.username });
    }
    for (const userId of currentIds) {
      if (wanted.has(userId) || protectedUserIds.has(userId)) continue;
      diff.memberRemoves.push({ groupExternalId: group.externalId, group: group.name, userId, username: usersById.get(userId)?.username ?? userId });
    }
  }

  // Moved in the tree with the same name: only the link's DN follows.
  for (const user of valid) {
    const link = userLinks.get(user.externalId);
    if (link && !protectedIds.has(user.externalId) && link.dn !== user.dn) diff.dnChanges.push({ externalId: user.externalId, dn: user.dn });
  }

  sortBy(diff.creates, (row) => row.username);
  sortBy(diff.links, (row) => row.username);
  sortBy(diff.renames, (row) => row.to);
  sortBy(diff.updates, (row) => row.username);
  sortBy(diff.dnChanges, (row) => row.externalId);
  sortBy(diff.disables, (row) => row.username);
  sortBy(diff.enables, (row) => row.username);
  sortBy(diff.groupCreates, (row) => row.name);
  sortBy(diff.memberAdds, (row) => `${row.group}\u0000${row.username}`);
  sortBy(diff.memberRemoves, (row) => `${row.group}\u0000${row.username}`);
  sortBy(diff.refused, (row) => `${row.dn}\u0000${row.reason}`);
  return diff;
};
