import { z } from "zod";

export const ZStartEnrollmentInputSchema = z.object({
  password: z.string().min(1, "Enter your password").max(128, "Passwords are at most 128 characters"),
});
export type TStartEnrollmentInput = z.infer<typeof ZStartEnrollmentInputSchema>;

export const ZCompleteEnrollmentInputSchema = z.object({
  authenticatorId: z.uuid("The enrollment session is not valid; start again"),
  code: z
    .string()
    .transform((value) => value.replace(/\s+/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code your app shows")),
  name: z.string().trim().max(60, "At most 60 characters").optional().default(""),
});
export type TCompleteEnrollmentInput = z.input<typeof ZCompleteEnrollmentInputSchema>;
