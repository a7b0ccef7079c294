import type { TPrisma } from "../db";

export type TFlowUser = {
  id: string;
  username: string;
  status: "active" | "bypass" | "disabled" | "locked_out";
  groupIds: string[];
  groupNames: string[];
  activeAuthenticators: number;
  passwordHash: string | null;
};

// Users are not part of the config snapshot (they change on every login): one indexed read per request.
export const lookupUser = async (options: { prisma: TPrisma; username: string }): Promise<TFlowUser | undefined> => {
  const row = await options.prisma.user.findUnique({
    where: { username: options.username },
    omit: { passwordHash: false },
    include: { groups: { include: { group: { select: { id: true, name: true } } } }, _count: { select: { authenticators: { where: { active: true } } } } },
  });
  if (!row) return undefined;
  return {
    id: row.id,
    username: row.username,
    status: row.status,
    groupIds: row.groups.map((member) => member.group.id),
    groupNames: row.groups.map((member) => member.group.name),
    activeAuthenticators: row._count.authenticators,
    passwordHash: row.passwordHash,
  };
};
