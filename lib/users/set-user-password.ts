import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashPassword } from "../auth/password";
import { ZSetUserPasswordInputSchema } from "./local-password-schema";

export type TSetUserPasswordResult = { mode: "set" | "choose_at_enrollment" | "clear" };

// The user's Twofold-local password (primary mode "local"), from the user page. Hashed with the console's argon2id
// before the transaction; the audit says what was done, never the password or its hash. "choose_at_enrollment"
// removes any current password, so only the user's own choice on the enrollment page will work.
export const setUserPassword = async (options: { prisma: TPrisma; actor: TActor; userId: string; input: unknown }): Promise<TSetUserPasswordResult> => {
  const input = parseInput(ZSetUserPasswordInputSchema, options.input);
  const passwordHash = input.mode === "set" ? await hashPassword(input.password) : null;
  await options.prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: options.userId }, omit: { passwordHash: false } });
    if (!before) throw new AppError("NOT_FOUND", "That user no longer exists");
    await tx.user.update({ where: { id: options.userId }, data: { passwordHash, passwordChoiceRequired: input.mode === "choose_at_enrollment" } });
    await recordAuditEvent({
      db: tx,
      actor: options.actor,
      action: `user.password_${input.mode}`,
      targetType: "User",
      targetId: options.userId,
      before: { username: before.username, hadPassword: before.passwordHash !== null, passwordChoiceRequired: before.passwordChoiceRequired },
      after: { hasPassword: passwordHash !== null, passwordChoiceRequired: input.mode === "choose_at_enrollment" },
    });
  });
  return { mode: input.mode };
};
