import type { TUserFacts } from "../policy/decision-types";
import type { TEffectivePolicy } from "../policy/policy-schemas";

export type TPushFallbackOptions = { user: Pick<TUserFacts, "authenticators" | "hasBypassCodes">; policy: Pick<TEffectivePolicy, "allowedFactors"> };
export type TPushFallback = "passcode" | "bypass_code" | "ask_bypass_code" | "helpdesk";

// When a push does not get the user in (rate limited, unanswered), what they can actually do instead. A push-only
// user has no passcode to "use instead"; what lets them in without their phone is a bypass code from the helpdesk.
export const choosePushFallback = ({ user, policy }: TPushFallbackOptions): TPushFallback => {
  const allowed = new Set(policy.allowedFactors);
  const passcode = user.authenticators.some((authenticator) => authenticator.active && (authenticator.kind === "totp" || authenticator.kind === "hotp") && allowed.has(authenticator.kind));
  if (passcode) return "passcode";
  if (!allowed.has("bypass_codes")) return "helpdesk";
  return user.hasBypassCodes ? "bypass_code" : "ask_bypass_code";
};
