import { z } from "zod";
import { FORBIDDEN_USERNAME_CHARACTER, normalizeUsername } from "../policy/normalize-username";

const optionalEmail = z.preprocess((value) => (value === "" || value === null ? undefined : value), z.email("Enter a valid email address").max(200).optional());

// Usernames are stored in the one spelling the worker looks them up by (lib/policy/normalize-username.ts: NFKC,
// full case folding, trimmed), so an account created as "Ａlice" is the "alice" the directory authenticates. Domain
// stripping is policy, applied at login.
export const ZUsernameSchema = z
  .string()
  // The characters a login's User-Name is refused for (checkUsernameBytes): such an account could never sign in.
  .refine((value) => !FORBIDDEN_USERNAME_CHARACTER.test(value), "Usernames cannot contain control or invisible characters")
  .transform((value) => normalizeUsername({ username: value, mode: "none" }))
  .pipe(
    z
      .string()
      .min(1, "Username is required")
      .max(200, "Keep the username under 200 characters")
      .refine((value) => !/\s/u.test(value), "Usernames cannot contain spaces"),
  );

const ZUserStatusSchema = z.enum(["active", "bypass", "disabled", "locked_out"], "Choose a status");

// status absent: a new user is active, an existing one keeps the status it has. loadedStatus: the status the edit
// form was opened with (a hidden field), what a change of status is compared against (lib/users/decide-status-edit.ts).
export const ZUserInputSchema = z.object({
  username: ZUsernameSchema,
  displayName: z.string().trim().max(200).default(""),
  email: optionalEmail,
  status: ZUserStatusSchema.optional(),
  loadedStatus: ZUserStatusSchema.optional(),
  groupIds: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.uuid())),
});
