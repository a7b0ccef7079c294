import type { SecureContextOptions } from "node:tls";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { loadMailTransport } from "./load-mail-transport";
import { sendEnrollmentEmail } from "./send-enrollment-email";

export type TBulkMailResult = { sent: { username: string; to: string }[]; failed: { username: string; reason: string }[]; skipped: { username: string; reason: string }[] };

const MAX_PER_RUN = 2000;

// "Email everyone without an authenticator": each user on their own, so one bad address or one refusal by the mail
// server is reported and the rest still go out. Users without an address are listed, not silently left out.
export const emailUnenrolledUsers = async (options: { prisma: TPrisma; actor: TActor; baseUrl?: string; tls?: SecureContextOptions }): Promise<TBulkMailResult> => {
  const { settings, transport } = await loadMailTransport({ prisma: options.prisma, pool: true, tls: options.tls });
  const result: TBulkMailResult = { sent: [], failed: [], skipped: [] };
  try {
    const users = await options.prisma.user.findMany({
      where: { status: { not: "disabled" }, authenticators: { none: { active: true } } },
      select: { id: true, username: true, email: true },
      orderBy: { username: "asc" },
      take: MAX_PER_RUN,
    });
    for (const user of users) {
      if (!user.email) {
        result.skipped.push({ username: user.username, reason: "no email address" });
        continue;
      }
      try {
        const sent = await sendEnrollmentEmail({ prisma: options.prisma, actor: options.actor, userId: user.id, settings, transport, baseUrl: options.baseUrl });
        result.sent.push({ username: user.username, to: sent.to });
      } catch (error) {
        result.failed.push({ username: user.username, reason: error instanceof AppError || error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    transport.close();
  }
  await recordAuditEvent({
    db: options.prisma, actor: options.actor, action: "user.send_enrollment_email_bulk", targetType: "User",
    after: { sent: result.sent.length, failed: result.failed, skipped: result.skipped.length },
  });
  return result;
};
