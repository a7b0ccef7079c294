import { z } from "zod";

// Twofold's auth log in the Admin API v2 shape Duo's log collectors and SIEM integrations parse. Duo's vocabulary
// where Twofold's differs only in name; Twofold's own where Duo has no equivalent (SIEM rules can match those as is).
const RESULTS: Record<string, string> = { success: "success", failure: "denied", error: "error", fraud: "fraud" };
// Reasons Twofold and Duo share (valid_passcode, locked_out, user_disabled, deny_unenrolled_user, …) pass as they are;
// Twofold's own (enrollment_required, invalid_username, failmode_safe, primary_reject, …) too (to-duo-authlog.test.ts
// lists both).
const REASONS: Record<string, string> = {
  accepted: "allowed_by_policy", // no second factor by the application's design
  valid_push: "user_approved",
  push_denied: "user_cancelled",
  bypass_code: "valid_passcode", // with factor bypass_code, as Duo logs one
  passcode_replayed: "invalid_passcode",
  bypass_code_used: "invalid_passcode",
  factor_required: "no_keys_pressed",
  factor_not_allowed: "factor_restricted",
  push_rate_limited: "denied_by_policy",
  challenge_expired: "no_response", // the prompt went unanswered until it expired
  upstream_timeout: "error",
  upstream_error: "error",
};
const FACTORS: Record<string, string> = { push: "duo_push", passcode: "passcode", totp: "duo_mobile_passcode", hotp: "hardware_token", bypass_code: "bypass_code" };

export const duoResult = (result: string) => RESULTS[result] ?? result;
export const duoReason = (reason: string) => REASONS[reason] ?? reason;
export const duoFactor = (factor: string | null) => (factor ? (FACTORS[factor] ?? factor) : "not_available");
// Filters arrive in Duo's names: the stored values that show as each (a name Twofold stores as is included as is).
export const storedValues = (table: Record<string, string>, duoNames: readonly string[]): string[] => [
  ...new Set(duoNames.flatMap((name) => [name, ...Object.keys(table).filter((ours) => table[ours] === name)])),
];
export const DUO_TABLES = { results: RESULTS, reasons: REASONS, factors: FACTORS };

const location = { city: null, state: null, country: null };

export const ZAuthLogRowSchema = z.object({
  id: z.bigint(),
  eventId: z.string(),
  time: z.date(),
  username: z.string(),
  userId: z.string().nullable(),
  callingStationId: z.string().nullable(),
  nasIp: z.string().nullable(),
  clientName: z.string().nullable(),
  factor: z.string().nullable(),
  result: z.string(),
  reason: z.string(),
  application: z.object({ ikey: z.string(), name: z.string() }).nullable(),
});
export type TAuthLogRow = z.infer<typeof ZAuthLogRowSchema>;

export const toDuoAuthLog = (row: TAuthLogRow) => ({
  access_device: { ip: row.callingStationId, hostname: row.clientName, location },
  alias: "",
  application: { key: row.application?.ikey ?? "", name: row.application?.name ?? "" },
  auth_device: { ip: null, location, name: null },
  email: "",
  event_type: "authentication",
  factor: duoFactor(row.factor),
  isotimestamp: row.time.toISOString(),
  ood_software: null,
  reason: duoReason(row.reason),
  result: duoResult(row.result),
  timestamp: Math.floor(row.time.getTime() / 1000),
  txid: row.eventId,
  user: { groups: [], key: row.userId ?? "", name: row.username },
});
