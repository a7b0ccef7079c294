import type { TPrisma } from "../db";
import { streamChallengeMessage } from "./push-schemas";
import { verifyDeviceSignature } from "./verify-device-signature";

export type TAuthenticateDeviceStreamOptions = { prisma: TPrisma; deviceId: string; timestampMs: number; signature: string; now: Date };

// EventSource cannot send headers: the device signs "stream, its id, the time" with its key; a signature older than
// five minutes is refused so a leaked URL stops working soon.
export const authenticateDeviceStream = async ({ prisma, deviceId, timestampMs, signature, now }: TAuthenticateDeviceStreamOptions): Promise<{ userId: string } | null> => {
  if (!Number.isFinite(timestampMs) || Math.abs(now.getTime() - timestampMs) > 300_000) return null;
  if (!/^[0-9a-f-]{36}$/i.test(deviceId)) return null;
  const device = await prisma.authenticator.findFirst({ where: { id: deviceId, kind: "push_device", active: true }, select: { userId: true, publicKey: true } });
  if (!device?.publicKey) return null;
  const ok = verifyDeviceSignature({ publicKeyJwk: device.publicKey, message: streamChallengeMessage({ deviceId, timestampMs }), signature });
  return ok ? { userId: device.userId } : null;
};
