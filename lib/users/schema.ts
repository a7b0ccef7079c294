import { z } from "zod";

const optionalEmail = z.preprocess((value) => (value === "" || value === null ? undefined : value), z.email("Enter a valid email address").max(200).optional());

// Usernames are stored as normalized: lower-case, no surrounding space. Domain stripping is policy (lib/policy).
export const ZUsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Username is required")
  .max(200, "Keep the username under 200 characters")
  .refine((value) => !/[\s\x00-\x1f]/.test(value), "Usernames cannot contain spaces or control characters");

export const ZUserInputSchema = z.object({
  username: ZUsernameSchema,
  displayName: z.string().trim().max(200).default(""),
  email: optionalEmail,
  status: z.enum(["active", "bypass", "disabled", "locked_out"], "Choose a status").default("active"),
  groupIds: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.uuid())),
});
