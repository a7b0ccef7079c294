import type { TSyncDiff } from "./sync-types";
import type { TTx } from "./load-sync-state";

// Writes a computed diff, inside the caller's transaction (with its advisory lock held). Users are disabled, never
// deleted: their authenticators stay for a return and their auth log keeps pointing at them.
export const applySyncDiff = async (options: { tx: TTx; serverId: string; serverName: string; diff: TSyncDiff; now: Date }): Promise<void> => {
  const { tx, serverId, diff, now } = options;

  for (const group of diff.groupCreates) {
    const created = await tx.group.create({ data: { name: group.name, description: `Imported from ${options.serverName}` }, select: { id: true } });
    await tx.directoryGroupLink.create({ data: { serverId, externalId: group.externalId, groupId: created.id, dn: group.dn } });
  }
  for (const link of diff.groupLinks) {
    await tx.directoryGroupLink.deleteMany({ where: { serverId, OR: [{ groupId: link.groupId }, { externalId: link.externalId }] } });
    await tx.directoryGroupLink.create({ data: { serverId, externalId: link.externalId, groupId: link.groupId, dn: link.dn } });
  }
  for (const rename of diff.groupRenames) await tx.group.update({ where: { id: rename.groupId }, data: { name: rename.to } });

  if (diff.creates.length > 0) {
    await tx.user.createMany({ data: diff.creates.map((user) => ({ username: user.username, displayName: user.displayName, email: user.email })) });
    const created = await tx.user.findMany({ where: { username: { in: diff.creates.map((user) => user.username) } }, select: { id: true, username: true } });
    const idByName = new Map(created.map((user) => [user.username, user.id]));
    await tx.directoryUserLink.createMany({ data: diff.creates.map((user) => ({ serverId, externalId: user.externalId, userId: idByName.get(user.username)!, dn: user.dn })) });
  }
  for (const link of diff.links) {
    // The adopted user may still carry a link to an entry that left the directory: the new entry replaces it.
    await tx.directoryUserLink.deleteMany({ where: { serverId, OR: [{ userId: link.userId }, { externalId: link.externalId }] } });
    await tx.directoryUserLink.create({ data: { serverId, externalId: link.externalId, userId: link.userId, dn: link.dn } });
  }
  for (const rename of diff.renames) {
    await tx.user.update({ where: { id: rename.userId }, data: { username: rename.to } });
    await tx.directoryUserLink.update({ where: { serverId_externalId: { serverId, externalId: rename.externalId } }, data: { dn: rename.dn } });
  }
  for (const update of diff.updates) {
    await tx.user.update({
      where: { id: update.userId },
      data: { ...(update.displayName ? { displayName: update.displayName.to } : {}), ...(update.email ? { email: update.email.to } : {}) },
    });
  }
  for (const moved of diff.dnChanges) await tx.directoryUserLink.updateMany({ where: { serverId, externalId: moved.externalId }, data: { dn: moved.dn } });
  for (const enable of diff.enables) {
    await tx.user.update({ where: { id: enable.userId }, data: { status: "active", failedAttempts: 0, lockedAt: null } });
    await tx.directoryUserLink.updateMany({ where: { serverId, userId: enable.userId }, data: { removedAt: null } });
  }
  for (const disable of diff.disables) {
    await tx.user.update({ where: { id: disable.userId }, data: { status: "disabled" } });
    await tx.directoryUserLink.update({ where: { serverId_externalId: { serverId, externalId: disable.externalId } }, data: { removedAt: now } });
  }

  // Memberships by name, now that every user and group exists under its final name.
  const groupIds = new Map((await tx.directoryGroupLink.findMany({ where: { serverId }, select: { externalId: true, groupId: true } })).map((link) => [link.externalId, link.groupId]));
  const names = [...new Set(diff.memberAdds.map((add) => add.username))];
  const userIds = new Map((await tx.user.findMany({ where: { username: { in: names } }, select: { id: true, username: true } })).map((user) => [user.username, user.id]));
  const adds = diff.memberAdds.flatMap((add) => {
    const groupId = groupIds.get(add.groupExternalId);
    const userId = userIds.get(add.username);
    return groupId && userId ? [{ groupId, userId }] : [];
  });
  if (adds.length > 0) await tx.groupMember.createMany({ data: adds, skipDuplicates: true });
  for (const remove of diff.memberRemoves) {
    const groupId = groupIds.get(remove.groupExternalId);
    if (groupId) await tx.groupMember.deleteMany({ where: { groupId, userId: remove.userId } });
  }
};
