import { choosePushFallback, type TPushFallback, type TPushFallbackOptions } from "./choose-push-fallback";

export type TPushRateLimitMessageOptions = TPushFallbackOptions;

const SAID: Record<TPushFallback, string> = {
  passcode: "Too many push requests. Sign in with a passcode instead.",
  helpdesk: "Too many push requests. Try again later, or contact your helpdesk.",
  bypass_code: "Too many push requests. Sign in with your bypass code instead.",
  ask_bypass_code: "Too many push requests. Ask your helpdesk for a bypass code.",
};

// Rate limited: tell the user what they can actually do instead (lib/push/choose-push-fallback.ts).
export const pushRateLimitMessage = (options: TPushRateLimitMessageOptions): string => SAID[choosePushFallback(options)];
