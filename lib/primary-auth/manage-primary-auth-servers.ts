import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { fieldError, parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { encryptSecret } from "../secrets/envelope";
import { ZPrimaryAuthServerSchema } from "./server-schema";

export const savePrimaryAuthServer = async (options: { prisma: TPrisma; actor: TActor; id?: string; input: unknown }): Promise<{ id: string }> => {
  const { secret, ...input } = parseInput(ZPrimaryAuthServerSchema, options.input);
  if (!options.id && input.kind === "radius" && !secret) throw fieldError("secret", "A RADIUS server needs its shared secret");
  return options.prisma.$transaction(async (tx) => {
    const before = options.id ? await tx.primaryAuthServer.findUnique({ where: { id: options.id } }) : null;
    if (options.id && !before) throw new AppError("NOT_FOUND", "That server no longer exists");
    const data = {
      ...input,
      applicationId: input.applicationId ?? null,
      accountingPort: input.accountingPort ?? null,
      bindDn: input.bindDn ?? null,
      baseDn: input.baseDn ?? null,
      userFilter: input.userFilter ?? null,
      groupAttribute: input.groupAttribute ?? null,
      usernameAttribute: input.usernameAttribute ?? null,
      ...(secret ? { secret: encryptSecret(secret) } : {}),
    };
    const server = options.id ? await tx.primaryAuthServer.update({ where: { id: options.id }, data }) : await tx.primaryAuthServer.create({ data });
    await recordAuditEvent({
      db: tx, actor: options.actor, action: options.id ? "primary_auth_server.update" : "primary_auth_server.create", targetType: "PrimaryAuthServer",
      targetId: server.id, before, after: { ...server, secret: secret ? "changed" : undefined },
    });
    return { id: server.id };
  });
};

export const deletePrimaryAuthServer = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<void> => {
  await options.prisma.$transaction(async (tx) => {
    const before = await tx.primaryAuthServer.findUnique({ where: { id: options.id } });
    if (!before) throw new AppError("NOT_FOUND", "That server no longer exists");
    await tx.primaryAuthServer.delete({ where: { id: options.id } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "primary_auth_server.delete", targetType: "PrimaryAuthServer", targetId: options.id, before });
  });
};
