import { z } from "zod";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { fieldError, parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { normalizeUsername } from "../policy/normalize-username";

export const ZGroupInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Keep the name under 100 characters"),
  description: z.string().trim().max(500).default(""),
});

// id undefined = create; otherwise rename/describe.
export const saveGroup = async (options: { prisma: TPrisma; actor: TActor; id?: string; input: unknown }): Promise<{ id: string }> => {
  const input = parseInput(ZGroupInputSchema, options.input);
  const clash = await options.prisma.group.findUnique({ where: { name: input.name }, select: { id: true } });
  if (clash && clash.id !== options.id) throw fieldError("name", "A group with this name already exists");
  return options.prisma.$transaction(async (tx) => {
    const before = options.id ? await tx.group.findUnique({ where: { id: options.id } }) : null;
    if (options.id && !before) throw new AppError("NOT_FOUND", "That group no longer exists");
    const group = options.id ? await tx.group.update({ where: { id: options.id }, data: input }) : await tx.group.create({ data: input });
    await recordAuditEvent({ db: tx, actor: options.actor, action: options.id ? "group.update" : "group.create", targetType: "Group", targetId: group.id, before, after: group });
    return { id: group.id };
  });
};

export const deleteGroup = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<void> => {
  await options.prisma.$transaction(async (tx) => {
    const before = await tx.group.findUnique({ where: { id: options.id } });
    if (!before) throw new AppError("NOT_FOUND", "That group no longer exists");
    await tx.group.delete({ where: { id: options.id } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "group.delete", targetType: "Group", targetId: options.id, before });
  });
};

export const addGroupMember = async (options: { prisma: TPrisma; actor: TActor; groupId: string; username: string }): Promise<void> => {
  // The stored spelling (lib/users/schema.ts), so "Straße" finds the user created as "STRASSE".
  const username = normalizeUsername({ username: options.username, mode: "none" });
  const user = await options.prisma.user.findUnique({ where: { username }, select: { id: true } });
  if (!user) throw fieldError("username", `No user named ${username}`);
  await options.prisma.$transaction(async (tx) => {
    await tx.groupMember.createMany({ data: [{ groupId: options.groupId, userId: user.id }], skipDuplicates: true });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "group.add_member", targetType: "Group", targetId: options.groupId, after: { username } });
  });
};

export const removeGroupMember = async (options: { prisma: TPrisma; actor: TActor; groupId: string; userId: string }): Promise<void> => {
  await options.prisma.$transaction(async (tx) => {
    await tx.groupMember.deleteMany({ where: { groupId: options.groupId, userId: options.userId } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "group.remove_member", targetType: "Group", targetId: options.groupId, before: { userId: options.userId } });
  });
};
