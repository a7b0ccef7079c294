import { z } from "zod";
import type { TPrisma } from "../db";

const ZDeletedBeforeSchema = z.object({ username: z.string() });

export type TDeletedUser = { username: string; deletedAt: Date; deletedBy: string | null };

// The auth log keeps the ids a decision was made for after the user is gone (no foreign keys on it), so its links can
// name a deleted user: the audit entry of the deletion says who it was, when and by whom.
export const findDeletedUser = async (options: { prisma: TPrisma; id: string }): Promise<TDeletedUser | undefined> => {
  const entry = await options.prisma.adminAuditEvent.findFirst({
    where: { action: "user.delete", targetType: "User", targetId: options.id },
    orderBy: { createdAt: "desc" },
    select: { before: true, createdAt: true, actorEmail: true },
  });
  if (!entry) return undefined;
  const before = ZDeletedBeforeSchema.safeParse(entry.before);
  return { username: before.success ? before.data.username : "(unknown)", deletedAt: entry.createdAt, deletedBy: entry.actorEmail };
};
