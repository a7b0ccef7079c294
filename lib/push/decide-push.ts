import type { TPrisma } from "../db";
import { notifyPush } from "./notify-push";
import { PUSH_DECIDED_CHANNEL, pushDecisionMessage, type TPushDecision } from "./push-schemas";
import { verifyDeviceSignature } from "./verify-device-signature";

export type TDecidePushOptions = {
  prisma: TPrisma;
  requestId: string;
  deviceId: string;
  decision: TPushDecision;
  number?: string | null; // verified push: the number the device showed
  signature: string; // base64url ECDSA P-256 (P1363) over pushDecisionMessage
  now: Date;
};

export type TDecidePushResult =
  | { ok: true; status: "approved" | "denied" | "fraud" }
  | { ok: false; reason: "not_found" | "bad_signature" | "already_decided" };

const STATUS = { approve: "approved", deny: "denied", fraud: "fraud" } as const;

// Accepted only with a valid signature by a registered, active device of the request's user, and only once (the
// update is conditional on `pending`, so a replayed or concurrent second decision changes nothing).
// "This wasn't me" locks the user out: someone has their password.
export const decidePush = async ({ prisma, requestId, deviceId, decision, number, signature, now }: TDecidePushOptions): Promise<TDecidePushResult> => {
  const [device, request] = await Promise.all([
    prisma.authenticator.findFirst({ where: { id: deviceId, kind: "push_device", active: true }, select: { userId: true, publicKey: true } }),
    prisma.pushRequest.findUnique({ where: { id: requestId }, select: { userId: true, verifyNumber: true } }),
  ]);
  if (!device?.publicKey || !request || device.userId !== request.userId) return { ok: false, reason: "not_found" };
  // The server signs nothing here; the number is bound into what the device signed, and must be the one it was sent.
  const shown = request.verifyNumber ?? null;
  if ((number ?? null) !== shown) return { ok: false, reason: "bad_signature" };
  const message = pushDecisionMessage({ requestId, decision, number: shown });
  if (!verifyDeviceSignature({ publicKeyJwk: device.publicKey, message, signature })) return { ok: false, reason: "bad_signature" };
  const status = STATUS[decision];
  const updated = await prisma.pushRequest.updateMany({
    where: { id: requestId, status: "pending", expiresAt: { gt: now } },
    data: { status, deviceId, decidedAt: now },
  });
  if (updated.count === 0) return { ok: false, reason: "already_decided" };
  await prisma.authenticator.update({ where: { id: deviceId }, data: { lastUsedAt: now } });
  if (status === "fraud") {
    await prisma.user.updateMany({ where: { id: request.userId, status: { in: ["active", "locked_out"] } }, data: { status: "locked_out", lockedAt: now } });
  }
  await notifyPush({ prisma, channel: PUSH_DECIDED_CHANNEL, payload: requestId });
  return { ok: true, status };
};
