import { z } from "zod";
import type { TActor } from "../auth/types";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { DISCONNECT_REQUESTED_CHANNEL } from "../push/push-schemas";
import { ZDisconnectStatusSchema } from "./disconnect-request-status";
import { expireDisconnectRequests } from "./expire-disconnect-requests";
import { listenDisconnectResults } from "./listen-disconnect-results";

export type TDisconnectResult = { acknowledged: true } | { acknowledged: false; errorCause?: number };

// A live worker claims within milliseconds (NOTIFY) or at its next poll (lib/coa/start-disconnect-sender.ts, 2 s);
// its send ends within its NAS timeout (3 × 1.5 s). The whole wait stays under the 10 s an admin will watch a button.
export const CLAIM_WITHIN_MS = 4000;
export const ANSWER_WITHIN_MS = 10_000;

const ZCreatedSchema = z.array(z.object({ id: z.uuid() }));

// The console's "Disconnect" for whoever may act on users (helpdesk included). The ASA's dynamic-authorization takes a
// Disconnect-Request only from its aaa-server hosts — the workers' RADIUS addresses — so a worker sends it, not
// this process (often on another host): the request becomes a row and a NOTIFY, one worker claims it, sends it from
// TWOFOLD_RADIUS_HOST and records the NAS's answer with the audit entry and the auth-log event
// (lib/coa/send-claimed-disconnect.ts); this waits for that answer, bounded. No worker claiming it in time: the row
// expires (audited, nothing sent) and the admin is told that no worker is running to send it.
export const disconnectSession = async (options: { prisma: TPrisma; databaseUrl: string; actor: TActor; sessionId: string; claimWithinMs?: number; answerWithinMs?: number }): Promise<TDisconnectResult> => {
  const { prisma } = options;
  const session = await prisma.radiusSession.findUnique({ where: { id: options.sessionId }, include: { radiusClient: { select: { coaPort: true } } } });
  if (!session || session.stoppedAt) throw new AppError("NOT_FOUND", "That session has already ended");
  const nas = `${session.nasAddress}:${session.radiusClient.coaPort}`;
  const claimWithinMs = options.claimWithinMs ?? CLAIM_WITHIN_MS;
  const startedAt = Date.now();
  // Requests a crashed console left behind get their audit entry here too, even when no worker is running.
  await expireDisconnectRequests({ prisma });
  const results = await listenDisconnectResults({ databaseUrl: options.databaseUrl });
  try {
    // expiresAt on the database's clock, which the workers' claim compares with: console and database hosts may differ.
    // At most one open request per session (a unique partial index): a second click waits for nothing and sends nothing.
    const [created] = ZCreatedSchema.parse(
      await prisma.$queryRaw`
        INSERT INTO "DisconnectRequest" ("id", "sessionId", "requestedBy", "requestedById", "requestedByIp", "expiresAt")
        VALUES (gen_random_uuid(), ${session.id}::uuid, ${options.actor.email}, ${options.actor.adminId ?? null}::uuid, ${options.actor.ip ?? null}, now() + make_interval(secs => ${claimWithinMs / 1000}))
        ON CONFLICT DO NOTHING
        RETURNING "id"::text AS "id"`,
    );
    if (!created) throw new AppError("CONFLICT", "A Disconnect for this session is already under way");
    const requestId = created.id;
    await prisma.$queryRaw`SELECT pg_notify(${DISCONNECT_REQUESTED_CHANNEL}, ${requestId})::text AS sent`;
    const answerBy = startedAt + (options.answerWithinMs ?? ANSWER_WITHIN_MS);
    for (;;) {
      const row = await prisma.disconnectRequest.findUnique({ where: { id: requestId }, select: { status: true, errorCause: true, claimedBy: true } });
      const status = ZDisconnectStatusSchema.parse(row?.status ?? "ended"); // no row: the session was deleted meanwhile
      switch (status) {
        case "acked":
          return { acknowledged: true };
        case "nak":
          return { acknowledged: false, errorCause: row?.errorCause ?? undefined };
        case "no_answer":
          throw new AppError("UNAVAILABLE", `The NAS (${nas}) did not answer the Disconnect-Request`);
        case "ended":
          throw new AppError("NOT_FOUND", "That session has already ended");
        case "expired":
          throw new AppError("UNAVAILABLE", "The Disconnect-Request was not sent: no worker is running to send it (the NAS takes it only from a Twofold worker's RADIUS address). Start a worker and try again.");
        case "lost":
          throw new AppError("UNAVAILABLE", `Worker ${row?.claimedBy ?? "?"} stopped while sending the Disconnect-Request; whether the NAS ended the session is unknown.`);
        case "pending":
          if (Date.now() >= startedAt + claimWithinMs) {
            await expireDisconnectRequests({ prisma, requestId }); // unless a worker claimed it at this very moment
            continue;
          }
          await results.next(requestId, startedAt + claimWithinMs - Date.now());
          continue;
        case "sending":
          if (Date.now() >= answerBy) {
            throw new AppError("UNAVAILABLE", `Worker ${row?.claimedBy ?? "?"} sent the Disconnect-Request to ${nas} but has not reported the NAS's answer yet; it will be in the audit log.`);
          }
          await results.next(requestId, answerBy - Date.now());
      }
    }
  } finally {
    await results.close();
  }
};
