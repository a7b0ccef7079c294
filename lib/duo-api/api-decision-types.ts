import type { TAuthReason } from "../auth-log/reason-codes";

// What the user asked for, as Duo's clients say it (v2 factor/device/passcode, v1 factor/auto/code), before the
// pipeline sees it. "unavailable": a Duo factor Twofold has no counterpart for (phone call, SMS).
export type TApiFactor =
  | { kind: "auto" }
  | { kind: "push"; deviceIndex: number } // 1-based among the user's push devices, as "push2" means on RADIUS
  | { kind: "code"; code: string } // a passcode, a bypass code, or the number a verified push shows
  | { kind: "unavailable"; name: string };

export type TApiDevice = { id: string; type: "phone" | "token"; name: string; capabilities: string[] };

// One call's answer in the API's terms, after the decision pipeline; the endpoint shapes it for v1 or v2.
export type TApiDecision =
  | { result: "allow"; reason: TAuthReason; statusMsg: string; factor?: string }
  | { result: "deny"; reason: TAuthReason; statusMsg: string; factor?: string; fraud?: boolean; enrollmentUrl?: string }
  | { result: "enroll"; reason: TAuthReason; statusMsg: string; enrollmentUrl: string }
  | { result: "auth"; statusMsg: string; devices: TApiDevice[] }; // preauth only: the user may go on to /auth
