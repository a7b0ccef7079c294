import type { TPrisma, UserStatus } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { fieldError, parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { decideStatusEdit, type TStatusEdit } from "./decide-status-edit";
import { lockUserRow } from "./lock-user-row";
import { ZUserInputSchema } from "./schema";

const STATUS_LABEL: Record<UserStatus, string> = { active: "active", bypass: "bypass", disabled: "disabled", locked_out: "locked out" };

// A status the admin set: "active" also clears the failure run, or the next wrong code would lock the user again.
const statusData = (edit: TStatusEdit) =>
  edit.kind !== "set" ? {} : edit.status === "active" ? { status: edit.status, failedAttempts: 0, lockedAt: null } : { status: edit.status };

// id undefined = create. Group membership is replaced as a whole, in the same transaction. An edit writes the status
// (and the failure counter) only when the admin changed it, against the status the form was opened with, under the
// row's lock: a lockout or fraud report landing while the form is open survives a save of the email.
export const saveUser = async (options: { prisma: TPrisma; actor: TActor; id?: string; input: unknown }): Promise<{ id: string }> => {
  const { prisma, actor, id } = options;
  const { groupIds, status, loadedStatus, ...input } = parseInput(ZUserInputSchema, options.input);
  const clash = await prisma.user.findUnique({ where: { username: input.username }, select: { id: true } });
  if (clash && clash.id !== id) throw fieldError("username", "A user with this username already exists");
  return prisma.$transaction(async (tx) => {
    if (id && !(await lockUserRow({ tx, id }))) throw new AppError("NOT_FOUND", "That user no longer exists");
    const before = id ? await tx.user.findUnique({ where: { id }, include: { groups: { select: { groupId: true } } } }) : null;
    if (id && !before) throw new AppError("NOT_FOUND", "That user no longer exists");
    const fields = { ...input, email: input.email ?? null };
    const edit = before ? decideStatusEdit({ submitted: status, loaded: loadedStatus, current: before.status }) : undefined;
    if (edit?.kind === "conflict") {
      const now = STATUS_LABEL[edit.current];
      throw fieldError("status", edit.loaded ? `The user's status changed to ${now} while you edited; reload` : `The user's status is ${now}; reload before changing it`);
    }
    const user = before && edit
      ? await tx.user.update({ where: { id: before.id }, data: { ...fields, ...statusData(edit) } })
      : await tx.user.create({ data: { ...fields, status: status ?? "active" } });
    await tx.groupMember.deleteMany({ where: { userId: user.id } });
    if (groupIds.length > 0) await tx.groupMember.createMany({ data: groupIds.map((groupId) => ({ userId: user.id, groupId })) });
    await recordAuditEvent({
      db: tx, actor, action: id ? "user.update" : "user.create", targetType: "User", targetId: user.id,
      before: before ? { ...before, groups: undefined, groupIds: before.groups.map((group) => group.groupId) } : undefined,
      after: { ...user, groupIds },
    });
    return { id: user.id };
  });
};
