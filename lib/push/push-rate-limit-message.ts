import type { TUserFacts } from "../policy/decision-types";
import type { TEffectivePolicy } from "../policy/policy-schemas";

export type TPushRateLimitMessageOptions = { user: Pick<TUserFacts, "authenticators" | "hasBypassCodes">; policy: Pick<TEffectivePolicy, "allowedFactors"> };

// Rate limited: tell the user what they can actually do instead. A push-only user has no passcode to "use instead";
// what lets them in without their phone is a bypass code from the helpdesk.
export const pushRateLimitMessage = ({ user, policy }: TPushRateLimitMessageOptions): string => {
  const allowed = new Set(policy.allowedFactors);
  const passcode = user.authenticators.some((authenticator) => authenticator.active && (authenticator.kind === "totp" || authenticator.kind === "hotp") && allowed.has(authenticator.kind));
  if (passcode) return "Too many push requests. Sign in with a passcode instead.";
  if (!allowed.has("bypass_codes")) return "Too many push requests. Try again later, or contact your helpdesk.";
  if (user.hasBypassCodes) return "Too many push requests. Sign in with your bypass code instead.";
  return "Too many push requests. Ask your helpdesk for a bypass code.";
};
