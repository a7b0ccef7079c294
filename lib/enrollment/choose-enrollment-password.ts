import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { hashPassword } from "../auth/password";
import { ZChooseLocalPasswordInputSchema } from "../users/local-password-schema";

// The admin left the local password to the user ("user must choose at enrollment"): the one-time link is the
// credential, and the first step stores the chosen password. The write is conditional on the flag, so of two tabs
// choosing at once exactly one sets it; the other is told to sign in with the password just chosen.
export const chooseEnrollmentPassword = async (options: { prisma: TPrisma; userId: string; input: unknown }): Promise<void> => {
  const parsed = ZChooseLocalPasswordInputSchema.safeParse(options.input);
  if (!parsed.success) throw new AppError("VALIDATION", "Check the highlighted field", { fieldErrors: z.flattenError(parsed.error).fieldErrors });
  const passwordHash = await hashPassword(parsed.data.newPassword);
  const updated = await options.prisma.user.updateMany({ where: { id: options.userId, passwordChoiceRequired: true }, data: { passwordHash, passwordChoiceRequired: false } });
  if (updated.count === 0) throw new AppError("CONFLICT", "A password was just chosen for this account. Reload the page and enter it.");
};
