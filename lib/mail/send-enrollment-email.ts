import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { createEnrollmentLink } from "../enrollment/create-enrollment-link";
import { buildEnrollmentMail } from "./build-enrollment-mail";
import type { createMailTransport } from "./create-mail-transport";
import type { TStoredSmtpSettings } from "./smtp-settings-schema";

export type TMailTransport = ReturnType<typeof createMailTransport>;

// Email links last longer than the console's (24 h): mail is read later than a link handed over the phone.
export const EMAIL_LINK_TTL_MINUTES = 3 * 24 * 60;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/[\p{Cc}]/gu, " ").slice(0, 300);

// A fresh one-time enrollment link for one user, mailed. The link and its audit row commit together before the send (an
// SMTP conversation is no thing to hold a transaction open for); a refused send deletes the link again and audits that,
// so the log shows every link that existed, even for a minute.
export const sendEnrollmentEmail = async (options: {
  prisma: TPrisma; actor: TActor; userId: string; settings: TStoredSmtpSettings; transport: TMailTransport; baseUrl?: string;
}): Promise<{ to: string; expiresAt: Date }> => {
  const user = await options.prisma.user.findUnique({ where: { id: options.userId }, select: { id: true, username: true, displayName: true, email: true, status: true } });
  if (!user) throw new AppError("NOT_FOUND", "That user no longer exists");
  if (user.status === "disabled") throw new AppError("VALIDATION", `${user.username} is disabled`);
  const placeholder = buildEnrollmentMail({ email: user.email, displayName: user.displayName, username: user.username, url: "", expiresAt: new Date() });
  if (!placeholder.ok) throw new AppError("VALIDATION", `${user.username}: ${placeholder.reason}`);

  const { link, built } = await options.prisma.$transaction(async (tx) => {
    // Sent by an admin or helpdesk: it may add a device for a user who already has one.
    const link = await createEnrollmentLink({ prisma: tx, userId: user.id, createdBy: options.actor.email, mayAddFactor: true, ttlMinutes: EMAIL_LINK_TTL_MINUTES, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
    const built = buildEnrollmentMail({ email: user.email, displayName: user.displayName, username: user.username, url: link.url, expiresAt: link.expiresAt });
    if (!built.ok) throw new AppError("VALIDATION", built.reason);
    await recordAuditEvent({
      db: tx, actor: options.actor, action: "user.send_enrollment_email", targetType: "User", targetId: user.id,
      after: { to: built.mail.to.address, expiresAt: link.expiresAt },
    });
    return { link, built };
  });
  const { settings } = options;
  try {
    await options.transport.sendMail({
      from: settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress,
      to: built.mail.to.name ? built.mail.to : built.mail.to.address,
      subject: built.mail.subject,
      text: built.mail.text,
      html: built.mail.html,
    });
  } catch (error) {
    const reason = describe(error);
    // Best effort, as before: should the database be gone too, the unsent link stays, audited above, until it expires.
    await options.prisma
      .$transaction(async (tx) => {
        await tx.enrollmentLink.deleteMany({ where: { id: link.id } });
        await recordAuditEvent({ db: tx, actor: options.actor, action: "user.send_enrollment_email_failed", targetType: "User", targetId: user.id, after: { to: built.mail.to.address, reason } });
      })
      .catch(() => undefined);
    throw new AppError("UNAVAILABLE", `The mail to ${user.username} was not sent: ${reason}`);
  }
  return { to: built.mail.to.address, expiresAt: link.expiresAt };
};
