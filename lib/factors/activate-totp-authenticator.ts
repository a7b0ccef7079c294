import type { TFactorDb } from "./factor-db";
import { verifyTotp } from "./verify-totp";

export type TActivateTotpAuthenticatorOptions = { prisma: Pick<TFactorDb, "authenticator">; authenticatorId: string; userId: string; code: string; now?: Date };

// The first code both proves the app was set up and claims its step, so that same code cannot then log in.
export const activateTotpAuthenticator = async ({ prisma, authenticatorId, userId, code, now = new Date() }: TActivateTotpAuthenticatorOptions) => {
  const owned = await prisma.authenticator.findFirst({ where: { id: authenticatorId, userId, kind: "totp", active: false }, select: { id: true } });
  if (!owned) return { ok: false as const, reason: "invalid_passcode" as const };
  const result = await verifyTotp({ prisma, authenticatorId, code: code.trim(), now });
  if (!result.ok) return result;
  await prisma.authenticator.update({ where: { id: authenticatorId }, data: { active: true } });
  return { ok: true as const };
};
