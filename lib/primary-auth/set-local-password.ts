import { hashPassword } from "../auth/password";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";

// Sets (or with null, clears) a user's Twofold-local password for primary-auth mode "local".
export const setLocalPassword = async (options: { prisma: TPrisma; userId: string; password: string | null }): Promise<void> => {
  if (options.password !== null && options.password.length === 0) {
    throw new AppError("VALIDATION", "Password must not be empty", { fieldErrors: { password: ["Password must not be empty"] } });
  }
  const passwordHash = options.password === null ? null : await hashPassword(options.password);
  const updated = await options.prisma.user.updateMany({ where: { id: options.userId }, data: { passwordHash } });
  if (updated.count === 0) throw new AppError("NOT_FOUND", "User not found");
};
