import type { TFactorDb } from "../factors/factor-db";
import { AppError } from "../errors/app-error";
import { ZDeviceJwkSchema, ZPushSubscriptionSchema, type TDeviceJwk, type TPushSubscription } from "./push-schemas";

export type TRegisterPushDeviceOptions = {
  prisma: Pick<TFactorDb, "authenticator">;
  userId: string;
  name: string;
  publicKeyJwk: TDeviceJwk;
  subscription?: TPushSubscription | null; // absent where the browser has no reachable push service: SSE only
};

// The device is active at once: it proved possession of its key pair by being created in the page the user reached
// through a one-time enrollment link after primary authentication.
export const registerPushDevice = async ({ prisma, userId, name, publicKeyJwk, subscription }: TRegisterPushDeviceOptions): Promise<{ deviceId: string }> => {
  const jwk = ZDeviceJwkSchema.safeParse(publicKeyJwk);
  if (!jwk.success) throw new AppError("VALIDATION", "The device key is not an ECDSA P-256 public key.");
  const sub = subscription ? ZPushSubscriptionSchema.parse(subscription) : null;
  const { kty, crv, x, y } = jwk.data;
  const row = await prisma.authenticator.create({
    data: {
      userId,
      kind: "push_device",
      name: name.trim().slice(0, 64) || "Phone",
      publicKey: JSON.stringify({ kty, crv, x, y }),
      pushSubscription: sub ?? undefined,
      active: true,
    },
    select: { id: true },
  });
  return { deviceId: row.id };
};
