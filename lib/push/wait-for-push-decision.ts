import type { TPrisma } from "../db";
import { notifyPush } from "./notify-push";
import type { TPushListener } from "./push-listener";
import { PUSH_DECIDED_CHANNEL, type TPushStatus } from "./push-schemas";

export type TWaitForPushDecisionOptions = {
  prisma: TPrisma;
  listener: TPushListener;
  requestId: string;
  expiresAt: Date;
  onWaiting?: () => void; // called once the row was read pending and the wait begins (the benchmark counts these)
};

// No polling: the row is read once, then again only when its NOTIFY arrives (or the listener reconnected). The
// waiter is registered before each read, so a decision landing between the read and the wait is never missed.
// At the deadline the row is marked `timeout` (unless a decision won the race), and everybody attached is woken.
export const waitForPushDecision = async ({ prisma, listener, requestId, expiresAt, onWaiting }: TWaitForPushDecisionOptions): Promise<TPushStatus> => {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(0, expiresAt.getTime() - Date.now()));
  try {
    for (;;) {
      const event = new AbortController();
      const relay = () => event.abort();
      deadline.signal.addEventListener("abort", relay, { once: true });
      const next = listener.nextEvent(requestId, event.signal);
      const row = await prisma.pushRequest.findUnique({ where: { id: requestId }, select: { status: true } });
      if (!row || row.status !== "pending" || deadline.signal.aborted) {
        event.abort();
        deadline.signal.removeEventListener("abort", relay);
        if (!row) return "cancelled";
        if (row.status !== "pending") return row.status as TPushStatus;
        break;
      }
      // Shutting down: stop waiting without touching the row; it expires on its own and another worker may attach.
      if (listener.stopped()) return "timeout";
      onWaiting?.();
      onWaiting = undefined;
      await next;
      deadline.signal.removeEventListener("abort", relay);
    }
  } finally {
    clearTimeout(timer);
  }
  const now = new Date();
  const expired = await prisma.pushRequest.updateMany({ where: { id: requestId, status: "pending" }, data: { status: "timeout", decidedAt: now } });
  if (expired.count === 0) {
    const row = await prisma.pushRequest.findUnique({ where: { id: requestId }, select: { status: true } });
    return (row?.status as TPushStatus | undefined) ?? "cancelled";
  }
  await notifyPush({ prisma, channel: PUSH_DECIDED_CHANNEL, payload: requestId });
  return "timeout";
};
