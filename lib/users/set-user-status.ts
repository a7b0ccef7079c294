import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";

// Disable or re-enable one user without touching the rest of the row (the console's save replaces all of it).
// Enabling clears the failure counter, as the console's save to "active" does, or the next wrong code would lock again.
// A push or challenge already in flight cannot grant access after a disable: grants re-check the user in their
// own transaction (lib/second-factor).
export const setUserStatus = async (options: { prisma: TPrisma; actor: TActor; id: string; status: "active" | "disabled" }): Promise<{ before: string; after: string }> =>
  options.prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: options.id } });
    if (!before) throw new AppError("NOT_FOUND", "That user no longer exists");
    const after = await tx.user.update({
      where: { id: options.id },
      data: options.status === "active" ? { status: "active", failedAttempts: 0, lockedAt: null } : { status: "disabled" },
    });
    await recordAuditEvent({ db: tx, actor: options.actor, action: options.status === "active" ? "user.enable" : "user.disable", targetType: "User", targetId: options.id, before, after });
    return { before: before.status, after: after.status };
  });
