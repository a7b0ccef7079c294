import type { TPrisma } from "../db";
import { decryptSecret } from "../secrets/envelope";
import { findHotpCounter, parseOtpSecret } from "./otp-secret";
import { HOTP_RESYNC_WINDOW } from "./resync-hotp";
import { HOTP_LOOK_AHEAD } from "./verify-hotp";

export type TFindHotpBeyondWindowOptions = { prisma: TPrisma; authenticatorIds: string[]; code: string; lookAhead?: number; window?: number };

// A token pressed many times away from the server: its code lies past the look-ahead window but within the resync
// window. One such code proves nothing (1 in 10^6 per counter, 1000 counters); the caller asks for the next code and
// resynchronizes only on two consecutive codes (resyncHotp). Nothing is changed here.
export const findHotpBeyondWindow = async ({ prisma, authenticatorIds, code, lookAhead = HOTP_LOOK_AHEAD, window = HOTP_RESYNC_WINDOW }: TFindHotpBeyondWindowOptions): Promise<string | undefined> => {
  const tokens = await prisma.authenticator.findMany({ where: { id: { in: authenticatorIds }, kind: "hotp", active: true }, omit: { secret: false } });
  for (const token of tokens) {
    if (!token.secret) continue;
    const secret = parseOtpSecret({ text: decryptSecret(token.secret), encoding: "base32" });
    if ("error" in secret) continue;
    const from = Number(token.counter) + lookAhead + 1;
    if (findHotpCounter({ secret, code, digits: token.digits, from, count: window - lookAhead - 1 }) !== undefined) return token.id;
  }
  return undefined;
};
