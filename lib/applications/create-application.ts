import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { fieldError, parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { encryptSecret } from "../secrets/envelope";
import { generateIkey, generateSkey } from "./generate-keys";
import { ZApplicationInputSchema } from "./schema";

// Returns the skey in plaintext exactly once; the caller shows it and never stores it anywhere else.
export const createApplication = async (options: { prisma: TPrisma; actor: TActor; input: unknown }): Promise<{ id: string; ikey: string; skey: string }> => {
  const { prisma, actor } = options;
  const input = parseInput(ZApplicationInputSchema, options.input);
  if (await prisma.application.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw fieldError("name", "An application with this name already exists");
  }
  const ikey = generateIkey();
  const skey = generateSkey();
  const { permittedGroupIds, ...fields } = input;
  const application = await prisma.$transaction(async (tx) => {
    const created = await tx.application.create({
      data: { ...fields, ikey, skey: encryptSecret(skey), permittedGroups: { create: permittedGroupIds.map((groupId) => ({ groupId })) } },
    });
    await recordAuditEvent({ db: tx, actor, action: "application.create", targetType: "Application", targetId: created.id, after: { ...created, skey: "set", permittedGroupIds } });
    return created;
  });
  return { id: application.id, ikey, skey };
};
