import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { ZUsernameSchema } from "../users/schema";

// A username typed on the command line is normalized the way it is stored ("Alice" finds alice).
export const findUserArgument = async (options: { prisma: TPrisma; username: string }): Promise<{ id: string; username: string; status: string; failedAttempts: number }> => {
  const parsed = ZUsernameSchema.safeParse(options.username);
  const username = parsed.success ? parsed.data : options.username;
  const user = parsed.success ? await options.prisma.user.findUnique({ where: { username }, select: { id: true, username: true, status: true, failedAttempts: true } }) : null;
  if (!user) throw new AppError("NOT_FOUND", `No user named ${username}`);
  return user;
};
