import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { TPrisma } from "../db";
import { DISCONNECT_DONE_CHANNEL } from "../push/push-schemas";
import { UNANSWERED_OUTCOME } from "./disconnect-request-status";

// A worker's send ends within its NAS timeout (3 attempts of 1.5 s by default); a row still sending long after that
// belongs to a worker that stopped mid-send.
export const LOST_AFTER_SECONDS = 60;

const ZEndedSchema = z.array(z.object({ id: z.uuid(), status: z.enum(["expired", "lost"]) }));

// Closes the requests nobody will finish, each with its audit entry in the admin's name (the attempt is audited
// whatever came of it): pending past expiresAt → expired (nothing was sent; the claim refuses them already), sending
// for over LOST_AFTER_SECONDS → lost (never sent again: the NAS may have acted on it). With `requestId`, only that
// request and only if still pending — the console giving up on its own request at its bound. Returns what it closed.
export const expireDisconnectRequests = async (options: { prisma: TPrisma; requestId?: string }): Promise<{ id: string; status: "expired" | "lost" }[]> =>
  options.prisma.$transaction(async (tx) => {
    const rows = ZEndedSchema.parse(
      options.requestId
        ? await tx.$queryRaw`
            UPDATE "DisconnectRequest" SET "status" = 'expired', "answer" = ${UNANSWERED_OUTCOME.expired}, "finishedAt" = now()
            WHERE "id" = ${options.requestId}::uuid AND "status" = 'pending'
            RETURNING "id"::text AS "id", "status"`
        : await tx.$queryRaw`
            UPDATE "DisconnectRequest"
            SET "status" = CASE WHEN "status" = 'pending' THEN 'expired' ELSE 'lost' END,
                "answer" = CASE WHEN "status" = 'pending' THEN ${UNANSWERED_OUTCOME.expired} ELSE ${UNANSWERED_OUTCOME.lost} END,
                "finishedAt" = now()
            WHERE ("status" = 'pending' AND "expiresAt" <= now())
               OR ("status" = 'sending' AND "claimedAt" <= now() - make_interval(secs => ${LOST_AFTER_SECONDS}))
            RETURNING "id"::text AS "id", "status"`,
    );
    if (rows.length === 0) return rows;
    const requests = await tx.disconnectRequest.findMany({ where: { id: { in: rows.map((row) => row.id) } }, include: { session: { include: { radiusClient: { select: { coaPort: true } } } } } });
    for (const request of requests) {
      const status = rows.find((row) => row.id === request.id)?.status ?? "expired";
      const { session } = request;
      await recordAuditEvent({
        db: tx,
        actor: { adminId: request.requestedById ?? undefined, email: request.requestedBy, ip: request.requestedByIp ?? undefined },
        action: "session.disconnect",
        targetType: "RadiusSession",
        targetId: session.id,
        before: { username: session.username, acctSessionId: session.acctSessionId, nas: `${session.nasAddress}:${session.radiusClient.coaPort}` },
        after: { answer: UNANSWERED_OUTCOME[status], ...(request.claimedBy ? { worker: request.claimedBy } : {}) },
      });
      await tx.$queryRaw`SELECT pg_notify(${DISCONNECT_DONE_CHANNEL}, ${request.id})::text AS sent`;
    }
    return rows;
  });
