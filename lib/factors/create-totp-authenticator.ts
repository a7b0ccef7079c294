import { Secret, TOTP } from "otpauth";
import type { TPrisma } from "../db";
import { encryptSecret } from "../secrets/envelope";

export type TCreateTotpAuthenticatorOptions = { prisma: TPrisma; userId: string; username: string; name?: string; issuer?: string };

// Inactive until the user proves the app holds the secret with a first code (activateTotpAuthenticator).
export const createTotpAuthenticator = async ({ prisma, userId, username, name = "Authenticator app", issuer = "Twofold" }: TCreateTotpAuthenticatorOptions) => {
  const secret = new Secret({ size: 20 });
  const authenticator = await prisma.authenticator.create({
    data: { userId, kind: "totp", name, secret: encryptSecret(secret.base32), digits: 6, periodSec: 30, driftSteps: 1, active: false },
    select: { id: true },
  });
  const uri = new TOTP({ issuer, label: username, secret, algorithm: "SHA1", digits: 6, period: 30 }).toString();
  return { authenticatorId: authenticator.id, secretBase32: secret.base32, uri };
};
