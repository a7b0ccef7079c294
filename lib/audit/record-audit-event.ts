import type { Prisma } from "../db";
import type { TActor } from "../auth/types";
import { redactSecrets } from "./redact";

// Accepts a transaction client so the audit row commits or rolls back with the change it describes.
type TAuditWriter = { adminAuditEvent: { create: (args: { data: Prisma.AdminAuditEventUncheckedCreateInput }) => Promise<unknown> } };

const toJson = (value: unknown): Prisma.InputJsonValue | undefined =>
  value === undefined || value === null ? undefined : (redactSecrets(value) as Prisma.InputJsonValue);

export const recordAuditEvent = async (options: {
  db: TAuditWriter;
  actor: TActor;
  action: string;
  targetType: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}): Promise<void> => {
  await options.db.adminAuditEvent.create({
    data: {
      adminId: options.actor.adminId,
      actorEmail: options.actor.email,
      action: options.action,
      targetType: options.targetType,
      targetId: options.targetId,
      before: toJson(options.before),
      after: toJson(options.after),
      ip: options.actor.ip,
    },
  });
};
