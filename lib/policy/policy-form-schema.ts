import { z } from "zod";
import { parseCidr } from "../net/cidr";

const INHERIT = "inherit";
const blankToNull = (value: unknown) => (value === "" || value === INHERIT || value === undefined ? null : value);
const optionalEnum = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess(blankToNull, z.enum(values, message).nullable()) as unknown as z.ZodType<T[number] | null>;
const optionalInt = (min: number, max: number, what: string) =>
  z.preprocess(blankToNull, z.coerce.number(`${what} must be a whole number`).int(`${what} must be a whole number`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`).nullable());
const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

const networks = z.preprocess(
  (value) => (typeof value === "string" ? value.split(/[\n,]/).map((item) => item.trim()).filter(Boolean) : value ?? []),
  z.array(z.string()).max(200).transform((items, context) => {
    const normalized: string[] = [];
    for (const item of items) {
      const parsed = parseCidr(item);
      if ("error" in parsed) context.addIssue({ code: "custom", message: `${item}: ${parsed.error}` });
      else normalized.push(parsed.text);
    }
    return normalized;
  }),
);

// One shape for the global row and for overrides, for the console's forms and the JSON API alike. For an override every
// field may be null ("inherit"); the global row's nulls mean "built-in default" (lib/policy/resolve-effective-policy.ts).
const ZPolicyFieldsSchema = z.object({
  newUserPolicy: optionalEnum(["require_enrollment", "allow_without_2fa", "deny"], "Choose a new-user policy"),
  usernameNormalization: optionalEnum(["none", "strip_domain"], "Choose a normalization"),
  failMode: optionalEnum(["safe", "secure"], "Choose safe or secure"),
  lockoutThreshold: optionalInt(0, 1000, "Lockout threshold"),
  autoUnlockMinutes: optionalInt(0, 100_000, "Auto-unlock minutes"),
  challengeTimeoutSec: optionalInt(10, 3600, "Challenge timeout"),
  maxChallengeAttempts: optionalInt(1, 20, "Attempts per challenge"),
  pushTimeoutSec: optionalInt(5, 300, "Push timeout"),
  pushRateLimitPerHour: optionalInt(0, 1000, "Push requests per hour"),
  verifiedPush: z.preprocess((value) => (value === "true" ? true : value === "false" ? false : blankToNull(value)), z.boolean().nullable()),
  whenNothingTyped: optionalEnum(["challenge_menu", "push_first"], "Choose the challenge menu or a push"),
  allowedFactorsInherit: checkbox,
  allowedFactors: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.enum(["totp", "hotp", "push_device", "bypass_codes"]))),
  authorizedNetworksInherit: checkbox,
  authorizedNetworks: networks,
});

const FIELDS = Object.keys(ZPolicyFieldsSchema.shape) as (keyof typeof ZPolicyFieldsSchema.shape)[];

// A whole policy: every field present. Null, "" or "inherit" say "inherit" explicitly; a field left out is an error,
// never a silent null (a PUT with one field once reset every other field this way).
export const ZPolicyInputSchema = z.preprocess((raw, context) => {
  if (raw && typeof raw === "object") {
    for (const field of FIELDS) if (!(field in raw)) context.addIssue({ code: "custom", path: [field], message: "Required: send null (or \"inherit\") to inherit" });
  }
  return raw;
}, ZPolicyFieldsSchema);
export type TPolicyInput = z.infer<typeof ZPolicyInputSchema>;

// An explicit partial update: the fields sent change, the others keep their stored value.
export const ZPolicyPatchSchema = ZPolicyFieldsSchema.partial();
export type TPolicyPatch = z.infer<typeof ZPolicyPatchSchema>;

// HTML leaves an unchecked box (and an empty checkbox group) out of the form data: the form adapters fill those in,
// so the shared schema can insist on every field.
export const withUncheckedBoxes = (form: Record<string, unknown>): Record<string, unknown> => ({
  allowedFactorsInherit: false,
  allowedFactors: [],
  authorizedNetworksInherit: false,
  verifiedPush: null,
  ...form,
});
