import { choosePushFallback, type TPushFallback, type TPushFallbackOptions } from "./choose-push-fallback";

const SAID: Record<TPushFallback, string> = {
  passcode: "No answer from your phone. Try again, or sign in with a passcode instead.",
  helpdesk: "No answer from your phone. Try again, or contact your helpdesk.",
  bypass_code: "No answer from your phone. Try again, or sign in with your bypass code instead.",
  ask_bypass_code: "No answer from your phone. Try again, or ask your helpdesk for a bypass code.",
};

// The push went unanswered (no_response): "try again", and what else the user can actually do, as for the rate limit.
export const noResponseMessage = (options: TPushFallbackOptions): string => SAID[choosePushFallback(options)];
