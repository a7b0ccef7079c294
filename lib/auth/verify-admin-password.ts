import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { hashPassword, verifyPassword } from "./password";

const ZSignInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email"),
  password: z.string().min(1, "Enter your password"),
});

// Hash something even for unknown emails so response time does not reveal which admins exist.
let dummyHash: Promise<string> | undefined;

export const verifyAdminPassword = async (options: { prisma: TPrisma; input: unknown }): Promise<{ adminId: string; totpEnabled: boolean; mustChangePassword: boolean }> => {
  const input = parseInput(ZSignInSchema, options.input);
  const admin = await options.prisma.admin.findUnique({ where: { email: input.email }, omit: { passwordHash: false } });
  dummyHash ??= hashPassword("twofold-dummy-password");
  const ok = await verifyPassword({ passwordHash: admin?.passwordHash ?? (await dummyHash), password: input.password });
  if (!admin || !ok || admin.disabled) throw new AppError("UNAUTHORIZED", "Email or password is incorrect, or the account is disabled");
  return { adminId: admin.id, totpEnabled: admin.totpEnabled, mustChangePassword: admin.mustChangePassword };
};
