import { randomUUID } from "node:crypto";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { TPrisma } from "../db";
import { DISCONNECT_DONE_CHANNEL } from "../push/push-schemas";
import { Attr, RadiusCode } from "../radius/constants";
import { createRadiusSecret } from "../radius/radius-secret";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { decryptSecret } from "../secrets/envelope";
import { disconnectIdentification } from "./disconnect-identification";
import type { TDisconnectStatus } from "./disconnect-request-status";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

// A worker's half of the console's Disconnect, for a request this worker claimed (lib/coa/claim-disconnect-requests.ts):
// the Disconnect-Request to the NAS holding the session (its CoA port, its secret) through the worker's CoA transport,
// so it leaves from TWOFOLD_RADIUS_HOST, the address the NAS's dynamic-authorization knows. The answer, the audit entry
// in the admin's name and the auth-log event commit together, whatever the NAS answered — also when the console
// stopped waiting — and an ACK closes the session at once (the NAS's accounting Stop follows). Then the console is told.
export const sendClaimedDisconnect = async (options: { prisma: TPrisma; transport: TUpstreamTransport; workerId: string; requestId: string; timeoutMs: number; retries: number }): Promise<TDisconnectStatus | undefined> => {
  const { prisma, requestId, workerId } = options;
  const request = await prisma.disconnectRequest.findUnique({ where: { id: requestId }, include: { session: { include: { radiusClient: { omit: { secret: false } } } } } });
  if (!request || request.claimedBy !== workerId) return undefined; // the session (and with it the request) was deleted
  const { session } = request;
  const done = async (data: { status: TDisconnectStatus; answer?: string; errorCause?: number }, write?: (tx: TTx) => Promise<void>) => {
    await prisma.$transaction(async (tx) => {
      await tx.disconnectRequest.update({ where: { id: requestId }, data: { ...data, finishedAt: new Date() } });
      await write?.(tx);
      await tx.$queryRaw`SELECT pg_notify(${DISCONNECT_DONE_CHANNEL}, ${requestId})::text AS sent`; // delivered on commit
    });
    return data.status;
  };
  if (session.stoppedAt) return done({ status: "ended" });

  const client = session.radiusClient;
  const result = await options.transport.exchange({
    target: { host: session.nasAddress, port: client.coaPort, secret: createRadiusSecret(decryptSecret(client.secret)) },
    code: RadiusCode.DisconnectRequest,
    attributes: () => disconnectIdentification(session),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
  });
  const code = result.ok ? result.packet.code : undefined;
  const errorCause = result.ok ? result.packet.attributes.find((attr) => attr.type === Attr.ErrorCause && attr.value.length === 4)?.value.readUInt32BE(0) : undefined;
  const acked = code === RadiusCode.DisconnectAck;
  const outcome = acked ? "Disconnect-ACK" : code === RadiusCode.DisconnectNak ? "Disconnect-NAK" : result.ok ? `code ${code}` : "no answer";
  const nas = `${session.nasAddress}:${client.coaPort}`;
  const username = session.userKey || session.username;
  const user = await prisma.user.findUnique({ where: { username }, select: { id: true } });
  const actor = { adminId: request.requestedById ?? undefined, email: request.requestedBy, ip: request.requestedByIp ?? undefined };
  return done({ status: acked ? "acked" : result.ok ? "nak" : "no_answer", answer: outcome, errorCause }, async (tx) => {
    if (acked) await tx.radiusSession.update({ where: { id: session.id }, data: { stoppedAt: new Date() } });
    await recordAuditEvent({ db: tx, actor, action: "session.disconnect", targetType: "RadiusSession", targetId: session.id, before: { username: session.username, acctSessionId: session.acctSessionId, nas }, after: { answer: outcome, errorCause } });
    await tx.authEvent.create({
      data: {
        eventId: randomUUID(),
        usernameRaw: session.username,
        username,
        userId: user?.id ?? null,
        applicationId: session.applicationId,
        radiusClientId: client.id,
        clientName: client.name,
        nasIp: session.nasIp ?? session.nasAddress,
        callingStationId: session.callingStationId,
        result: acked ? "success" : result.ok ? "failure" : "error",
        reason: "disconnect",
        attributes: { by: request.requestedBy, nas, answer: outcome, acctSessionId: session.acctSessionId, ...(errorCause ? { errorCause } : {}) },
        workerId, // the worker that sent it (the console wrote "console" when it sent them itself)
      },
    });
  });
};
