import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { ZPolicyInputSchema, ZPolicyPatchSchema } from "./policy-form-schema";

// applicationId undefined = the global row. The global row never "inherits" lists: it is the root.
// mode "replace" (forms, PUT): a whole policy. "patch" (PATCH): only the fields sent change.
export const savePolicy = async (options: { prisma: TPrisma; actor: TActor; applicationId?: string; input: unknown; mode?: "replace" | "patch" }): Promise<void> => {
  const { prisma, actor } = options;
  const input = options.mode === "patch" ? parseInput(ZPolicyPatchSchema, options.input) : parseInput(ZPolicyInputSchema, options.input);
  const applicationId = options.applicationId ?? null;
  const data = applicationId ? input : { ...input, allowedFactorsInherit: false, authorizedNetworksInherit: false };
  if (Object.keys(input).length === 0) throw new AppError("VALIDATION", "Nothing to change: send at least one policy field");
  await prisma.$transaction(async (tx) => {
    if (applicationId && !(await tx.application.findUnique({ where: { id: applicationId }, select: { id: true } }))) {
      throw new AppError("NOT_FOUND", "That application no longer exists");
    }
    // Postgres unique indexes allow many NULLs, so the global row is found, not upserted; the row lock serialises savers.
    const before = await tx.policy.findFirst({ where: { applicationId } });
    const after = before ? await tx.policy.update({ where: { id: before.id }, data }) : await tx.policy.create({ data: { ...data, applicationId } });
    await recordAuditEvent({
      db: tx,
      actor,
      action: applicationId ? "policy.save_override" : "policy.save_global",
      targetType: "Policy",
      targetId: applicationId ?? "global",
      before,
      after,
    });
  });
};

export const deletePolicyOverride = async (options: { prisma: TPrisma; actor: TActor; applicationId: string }): Promise<void> => {
  await options.prisma.$transaction(async (tx) => {
    const before = await tx.policy.findFirst({ where: { applicationId: options.applicationId } });
    if (!before) return;
    await tx.policy.delete({ where: { id: before.id } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "policy.delete_override", targetType: "Policy", targetId: options.applicationId, before });
  });
};
