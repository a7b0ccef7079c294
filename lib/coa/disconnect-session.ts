import { randomUUID } from "node:crypto";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { TActor } from "../auth/types";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import type { TRadiusAttribute } from "../primary-auth/types";
import { bytesAttribute, textAttributes, vendorAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { createRadiusSecret } from "../radius/radius-secret";
import { createUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { decryptSecret } from "../secrets/envelope";

const ipv4 = (text: string | null) => (text && /^\d+\.\d+\.\d+\.\d+$/.test(text) ? Buffer.from(text.split(".").map(Number)) : undefined);

// Identification as RFC 5176 §3 wants it: the session's own id and every attribute the NAS reported for it.
const identification = (session: { username: string; acctSessionId: string; framedIp: string | null; callingStationId: string | null; nasIp: string | null; auditSessionId: string | null }): TRadiusAttribute[] => {
  const attributes = [...textAttributes(Attr.UserName, session.username).slice(0, 1), ...textAttributes(Attr.AcctSessionId, session.acctSessionId).slice(0, 1)];
  const framed = ipv4(session.framedIp);
  if (framed) attributes.push(bytesAttribute(Attr.FramedIpAddress, framed));
  if (session.callingStationId) attributes.push(...textAttributes(Attr.CallingStationId, session.callingStationId).slice(0, 1));
  const nasIp = ipv4(session.nasIp);
  if (nasIp) attributes.push(bytesAttribute(Attr.NasIpAddress, nasIp));
  if (session.auditSessionId) attributes.push(vendorAttribute(9, 1, Buffer.from(`audit-session-id=${session.auditSessionId}`)));
  return attributes.filter((attr) => attr.value.length > 0);
};

export type TDisconnectResult = { acknowledged: true } | { acknowledged: false; errorCause?: number };

// The console's "Disconnect": a Disconnect-Request straight to the NAS holding the session (its CoA port, its secret),
// from whoever may act on users (helpdesk included). Audited and in the auth log, whatever the NAS answers; an ACK
// closes the session here at once (the NAS's accounting Stop follows).
export const disconnectSession = async (options: { prisma: TPrisma; actor: TActor; sessionId: string; timeoutMs?: number }): Promise<TDisconnectResult> => {
  const session = await options.prisma.radiusSession.findUnique({
    where: { id: options.sessionId },
    include: { radiusClient: { omit: { secret: false } } },
  });
  if (!session || session.stoppedAt) throw new AppError("NOT_FOUND", "That session has already ended");
  const client = session.radiusClient;
  const secret = createRadiusSecret(decryptSecret(client.secret));
  const transport = await createUpstreamTransport();
  const result = await transport
    .exchange({ target: { host: session.nasAddress, port: client.coaPort, secret }, code: RadiusCode.DisconnectRequest, attributes: () => identification(session), timeoutMs: options.timeoutMs ?? 2000, retries: 2 })
    .finally(() => transport.close());
  const code = result.ok ? result.packet.code : undefined;
  const errorCause = result.ok ? result.packet.attributes.find((attr) => attr.type === Attr.ErrorCause && attr.value.length === 4)?.value.readUInt32BE(0) : undefined;
  const outcome = code === RadiusCode.DisconnectAck ? "Disconnect-ACK" : code === RadiusCode.DisconnectNak ? "Disconnect-NAK" : result.ok ? `code ${code}` : "no answer";
  const nas = `${session.nasAddress}:${client.coaPort}`;
  const username = session.userKey || session.username;
  const user = await options.prisma.user.findUnique({ where: { username }, select: { id: true } });
  await options.prisma.$transaction(async (tx) => {
    if (code === RadiusCode.DisconnectAck) await tx.radiusSession.update({ where: { id: session.id }, data: { stoppedAt: new Date() } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "session.disconnect", targetType: "RadiusSession", targetId: session.id, before: { username: session.username, acctSessionId: session.acctSessionId, nas }, after: { answer: outcome, errorCause } });
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
        result: code === RadiusCode.DisconnectAck ? "success" : result.ok ? "failure" : "error",
        reason: "disconnect",
        attributes: { by: options.actor.email, nas, answer: outcome, acctSessionId: session.acctSessionId, ...(errorCause ? { errorCause } : {}) },
        workerId: "console",
      },
    });
  });
  if (!result.ok) throw new AppError("UNAVAILABLE", `The NAS (${nas}) did not answer the Disconnect-Request`);
  return code === RadiusCode.DisconnectAck ? { acknowledged: true } : { acknowledged: false, errorCause };
};
