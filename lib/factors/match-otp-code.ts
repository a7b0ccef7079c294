import { z } from "zod";
import { decryptSecret } from "../secrets/envelope";
import { findHotpCounter, parseOtpSecret, type TSuppliedCode } from "./otp-secret";
import type { Secret } from "otpauth";

export const HOTP_LOOK_AHEAD = 10;

// A passcode authenticator as the user read brings it (lib/users/read-user.ts): the seed still encrypted, the HOTP
// counter as of that read. Matching is pure; whether the step or counter is still unused is decided by the statement
// that spends it (lib/second-factor/claim-factor-attempt.ts), under the row's lock, never by this copy.
export const ZOtpKeySchema = z.object({
  id: z.string(),
  kind: z.enum(["totp", "hotp"]),
  secret: z.string(),
  digits: z.number().int(),
  periodSec: z.number().int().positive(),
  driftSteps: z.number().int().nonnegative(),
  counter: z.coerce.number().int().nonnegative(),
});
export type TOtpKey = z.infer<typeof ZOtpKeySchema>;

// RFC 6238 (SHA-1, the authenticator's digits/period/drift): the time step whose code this is, within the drift. The
// current step first — where nearly every code is — so a login usually computes one code, not 2 × drift + 1.
export const matchTotp = (options: { secret: Secret; code: TSuppliedCode; digits: number; periodSec: number; driftSteps: number; now: Date }): number | undefined => {
  const { secret, code, digits } = options;
  const current = Math.floor(options.now.getTime() / 1000 / options.periodSec);
  const drift = options.driftSteps;
  return (
    findHotpCounter({ secret, code, digits, from: current, count: 1 }) ??
    findHotpCounter({ secret, code, digits, from: current - drift, count: drift }) ??
    findHotpCounter({ secret, code, digits, from: current + 1, count: drift })
  );
};

// RFC 4226 with a look-ahead window from the next expected counter (button presses that never reached us). `behind`:
// the code is one of the last `lookAhead` already used — a replay rather than a typo, and logged as one.
export const matchHotp = (options: { secret: Secret; code: TSuppliedCode; digits: number; counter: number; lookAhead?: number }): { counter?: number; behind: boolean } => {
  const { secret, code, digits, counter: next, lookAhead = HOTP_LOOK_AHEAD } = options;
  const counter = findHotpCounter({ secret, code, digits, from: next, count: lookAhead + 1 });
  if (counter !== undefined) return { counter, behind: false };
  return { behind: findHotpCounter({ secret, code, digits, from: next - lookAhead, count: lookAhead }) !== undefined };
};

// What spending a matched code writes: TOTP stores the step as the last used (guard: older steps are replays); HOTP
// moves the counter to `next` (guard: the counter has not passed `step`).
export type TOtpMatch = { authenticatorId: string; kind: "totp" | "hotp"; step: number; next: number };
export type TOtpCodeMatch = { match?: TOtpMatch; replayed: boolean };

// The first of the user's passcode authenticators whose code this is (two distinct random seeds showing the same code
// at once is a one-in-a-million coincidence; the first is taken). A seed that cannot be read matches nothing.
export const matchOtpCode = (options: { keys: TOtpKey[]; code: TSuppliedCode; now: Date }): TOtpCodeMatch => {
  let replayed = false;
  for (const key of options.keys) {
    const secret = parseOtpSecret({ text: decryptSecret(key.secret), encoding: "base32" });
    if ("error" in secret) continue;
    if (key.kind === "totp") {
      const step = matchTotp({ secret, code: options.code, digits: key.digits, periodSec: key.periodSec, driftSteps: key.driftSteps, now: options.now });
      if (step !== undefined) return { match: { authenticatorId: key.id, kind: "totp", step, next: step }, replayed: false };
      continue;
    }
    const hotp = matchHotp({ secret, code: options.code, digits: key.digits, counter: key.counter });
    if (hotp.counter !== undefined) return { match: { authenticatorId: key.id, kind: "hotp", step: hotp.counter, next: hotp.counter + 1 }, replayed: false };
    replayed ||= hotp.behind;
  }
  return { replayed };
};
