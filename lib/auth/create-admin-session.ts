import type { TPrisma } from "../db";
import { writeAdminSession, type TAdminSessionGrant, type TAdminSessionOptions } from "./write-admin-session";

// A session that spends nothing: the password-only one that can just enroll a TOTP, and tests.
export const createAdminSession = async (options: TAdminSessionOptions & { prisma: TPrisma }): Promise<TAdminSessionGrant> => {
  const { prisma, ...session } = options;
  return prisma.$transaction((tx) => writeAdminSession({ db: tx, ...session }));
};
