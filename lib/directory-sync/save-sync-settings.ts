import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { ZDirectorySyncSettingsSchema } from "./sync-settings-schema";

export const saveSyncSettings = async (options: { prisma: TPrisma; actor: TActor; serverId: string; input: unknown }): Promise<void> => {
  const input = parseInput(ZDirectorySyncSettingsSchema, options.input);
  const data = { ...input, userBaseDn: input.userBaseDn ?? null, groupBaseDn: input.groupBaseDn ?? null, intervalMinutes: input.intervalMinutes ?? null };
  await options.prisma.$transaction(async (tx) => {
    const server = await tx.primaryAuthServer.findUnique({ where: { id: options.serverId }, select: { kind: true } });
    if (!server) throw new AppError("NOT_FOUND", "That server no longer exists");
    if (server.kind !== "ldap") throw new AppError("VALIDATION", "Directory sync reads LDAP / Active Directory servers only");
    const before = await tx.directorySync.findUnique({ where: { serverId: options.serverId } });
    const after = await tx.directorySync.upsert({ where: { serverId: options.serverId }, create: { serverId: options.serverId, ...data }, update: data });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "directory_sync.settings", targetType: "PrimaryAuthServer", targetId: options.serverId, before, after });
  });
};
