import type { TPrisma } from "../db";
import type { TCurrentState } from "./sync-types";

export type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

// What a sync of this server can touch: its linked users and groups, plus the users and groups that hold a name the
// directory now uses (a sync adopts those instead of creating a clash). Read inside the applying transaction.
export const loadSyncState = async (options: { tx: TTx; serverId: string; usernames: string[]; groupNames: string[] }): Promise<TCurrentState> => {
  const { tx, serverId } = options;
  const [userLinks, groupLinks] = await Promise.all([
    tx.directoryUserLink.findMany({ where: { serverId }, select: { externalId: true, userId: true, dn: true, removedAt: true } }),
    tx.directoryGroupLink.findMany({ where: { serverId }, select: { externalId: true, groupId: true } }),
  ]);
  const linkedIds = userLinks.map((link) => link.userId);
  const users = await tx.user.findMany({
    where: { OR: [{ id: { in: linkedIds } }, { username: { in: options.usernames } }] },
    select: { id: true, username: true, displayName: true, email: true, status: true },
  });
  const lowerNames = options.groupNames.map((name) => name.toLowerCase());
  const groupRows = await tx.group.findMany({
    where: { OR: [{ id: { in: groupLinks.map((link) => link.groupId) } }, ...lowerNames.map((name) => ({ name: { equals: name, mode: "insensitive" as const } }))] },
    select: { id: true, name: true, members: { select: { userId: true } } },
  });
  const elsewhere = await tx.directoryUserLink.findMany({
    where: { serverId: { not: serverId }, userId: { in: linkedIds }, removedAt: null },
    select: { userId: true },
  });
  return {
    userLinks,
    groupLinks,
    users,
    groups: groupRows.map((group) => ({ id: group.id, name: group.name, memberIds: group.members.map((member) => member.userId) })),
    linkedElsewhere: elsewhere.map((row) => row.userId),
  };
};
