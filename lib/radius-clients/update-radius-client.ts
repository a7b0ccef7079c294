import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { parseInput, fieldError } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { encryptSecret } from "../secrets/envelope";
import { checkAddressClash } from "./check-address-clash";
import { ZRadiusClientUpdateSchema } from "./schema";

export const updateRadiusClient = async (options: { prisma: TPrisma; actor: TActor; id: string; input: unknown }): Promise<void> => {
  const { prisma, actor, id } = options;
  const input = parseInput(ZRadiusClientUpdateSchema, options.input);
  const before = await prisma.radiusClient.findUnique({ where: { id } });
  if (!before) throw new AppError("NOT_FOUND", "That RADIUS client no longer exists");
  const clash = await prisma.radiusClient.findUnique({ where: { name: input.name }, select: { id: true } });
  if (clash && clash.id !== id) throw fieldError("name", "A RADIUS client with this name already exists");
  if (input.applicationId && !(await prisma.application.findUnique({ where: { id: input.applicationId }, select: { id: true } }))) {
    throw fieldError("applicationId", "That application no longer exists");
  }
  await prisma.$transaction(async (tx) => {
    await checkAddressClash({ tx, address: input.address, exceptId: id });
    const after = await tx.radiusClient.update({
      where: { id },
      data: {
        name: input.name,
        address: input.address,
        requireMessageAuthenticator: input.requireMessageAuthenticator,
        applicationId: input.applicationId ?? null,
        coaPort: input.coaPort,
        ...(input.secret ? { secret: encryptSecret(input.secret) } : {}),
      },
    });
    await recordAuditEvent({
      db: tx,
      actor,
      action: input.secret ? "radius_client.update_with_new_secret" : "radius_client.update",
      targetType: "RadiusClient",
      targetId: id,
      before,
      after,
    });
  });
};
