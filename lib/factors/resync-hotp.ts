import type { TFactorDb } from "./factor-db";
import { decryptSecret } from "../secrets/envelope";
import { findHotpCounter, hotpAt, parseOtpSecret } from "./otp-secret";
import { safeEqual } from "../crypto/tokens";
import type { Secret } from "otpauth";

export const HOTP_RESYNC_WINDOW = 1000;

export type TResyncHotpOptions = { prisma: Pick<TFactorDb, "authenticator">; authenticatorId: string; code1: string; code2: string; window?: number };

// A token pressed far beyond the look-ahead window: two consecutive codes found within a wide window prove possession
// (one code in 1000 would be guessable; two in a row are not), and the counter moves past the second.
export const resyncHotp = async ({ prisma, authenticatorId, code1, code2, window = HOTP_RESYNC_WINDOW }: TResyncHotpOptions): Promise<boolean> => {
  const authenticator = await prisma.authenticator.findUnique({ where: { id: authenticatorId }, omit: { secret: false } });
  if (!authenticator?.secret || authenticator.kind !== "hotp") return false;
  const secret = parseOtpSecret({ text: decryptSecret(authenticator.secret), encoding: "base32" });
  if ("error" in secret) return false;
  const first = findHotpResync({ secret, code1, code2, digits: authenticator.digits, counter: Number(authenticator.counter), window });
  if (first === undefined) return false;
  const moved = await prisma.authenticator.updateMany({
    where: { id: authenticatorId, counter: { lte: BigInt(first) } },
    data: { counter: BigInt(first + 2) },
  });
  return moved.count === 1;
};

export type TFindHotpResyncOptions = { secret: Secret; code1: string; code2: string; digits: number; counter: number; window?: number };

// The counter of `code1` such that `code2` is the very next code, searched from the next expected counter over the
// window; undefined when no such pair exists. Spending it moves the counter to the returned value + 2.
export const findHotpResync = ({ secret, code1, code2, digits, counter, window = HOTP_RESYNC_WINDOW }: TFindHotpResyncOptions): number | undefined => {
  let from = counter;
  const end = from + window;
  while (from < end) {
    const first = findHotpCounter({ secret, code: code1, digits, from, count: end - from });
    if (first === undefined) return undefined;
    if (safeEqual(hotpAt({ secret, counter: first + 1, digits }), code2)) return first;
    from = first + 1;
  }
  return undefined;
};
