import { z } from "zod";

// RADIUS carries at most 128 octets of User-Password (RFC 2865 §5.2), so a longer local password could never be
// typed at the VPN prompt. Control characters cannot be typed there either; everything else (any script, emoji) can.
export const LOCAL_PASSWORD_MIN_LENGTH = 8;
export const LOCAL_PASSWORD_MAX_BYTES = 128;

export const ZLocalPasswordSchema = z
  .string()
  .min(LOCAL_PASSWORD_MIN_LENGTH, `Use at least ${LOCAL_PASSWORD_MIN_LENGTH} characters`)
  .refine((value) => Buffer.byteLength(value, "utf8") <= LOCAL_PASSWORD_MAX_BYTES, `At most ${LOCAL_PASSWORD_MAX_BYTES} bytes: RADIUS cannot carry a longer password`)
  .refine((value) => !/[\p{Cc}]/u.test(value), "Passwords cannot contain control characters")
  .refine((value) => !value.includes("\uFFFD"), "The password contains an invalid character");

// What the admin picks on the user page: set a password now, leave it to the user at enrollment, or remove it.
export const ZSetUserPasswordInputSchema = z.discriminatedUnion(
  "mode",
  [
    z.object({ mode: z.literal("set"), password: ZLocalPasswordSchema }),
    z.object({ mode: z.literal("choose_at_enrollment") }),
    z.object({ mode: z.literal("clear") }),
  ],
  "Choose what to do with the password",
);
export type TSetUserPasswordInput = z.input<typeof ZSetUserPasswordInputSchema>;

// The enrollment page's "choose your password" step: typed twice, so a typo does not lock the user out.
export const ZChooseLocalPasswordInputSchema = z
  .object({ newPassword: ZLocalPasswordSchema, confirmPassword: z.string() })
  .refine((value) => value.newPassword === value.confirmPassword, { path: ["confirmPassword"], message: "The two passwords differ" });
