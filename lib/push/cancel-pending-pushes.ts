import type { TPrisma } from "../db";
import { notifyPush } from "./notify-push";
import { PUSH_DECIDED_CHANNEL } from "./push-schemas";

export type TCancelPendingPushesOptions = { prisma: TPrisma; userId: string; requestId?: string; now: Date };

// A passcode overtook the push (or the verified-push number was wrong): the push must not be approvable any more,
// and whoever waits on it is woken to answer the NAS.
export const cancelPendingPushes = async ({ prisma, userId, requestId, now }: TCancelPendingPushesOptions): Promise<number> => {
  const rows = await prisma.pushRequest.findMany({ where: { userId, status: "pending", ...(requestId ? { id: requestId } : {}) }, select: { id: true } });
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  const updated = await prisma.pushRequest.updateMany({ where: { id: { in: ids }, status: "pending" }, data: { status: "cancelled", decidedAt: now } });
  for (const id of ids) await notifyPush({ prisma, channel: PUSH_DECIDED_CHANNEL, payload: id });
  return updated.count;
};
