import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { parseInput, fieldError } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { encryptSecret } from "../secrets/envelope";
import { checkAddressClash } from "./check-address-clash";
import { ZRadiusClientCreateSchema } from "./schema";

export const createRadiusClient = async (options: { prisma: TPrisma; actor: TActor; input: unknown }): Promise<{ id: string }> => {
  const { prisma, actor } = options;
  const input = parseInput(ZRadiusClientCreateSchema, options.input);
  if (await prisma.radiusClient.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw fieldError("name", "A RADIUS client with this name already exists");
  }
  if (input.applicationId && !(await prisma.application.findUnique({ where: { id: input.applicationId }, select: { id: true } }))) {
    throw fieldError("applicationId", "That application no longer exists");
  }
  return prisma.$transaction(async (tx) => {
    await checkAddressClash({ tx, address: input.address });
    const client = await tx.radiusClient.create({
      data: {
        name: input.name,
        address: input.address,
        secret: encryptSecret(input.secret),
        requireMessageAuthenticator: input.requireMessageAuthenticator,
        applicationId: input.applicationId ?? null,
        coaPort: input.coaPort,
      },
    });
    await recordAuditEvent({ db: tx, actor, action: "radius_client.create", targetType: "RadiusClient", targetId: client.id, after: { ...client, secret: "set" } });
    return { id: client.id };
  });
};
