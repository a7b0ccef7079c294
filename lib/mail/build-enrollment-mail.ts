import { z } from "zod";

const CONTROL = /[\p{Cc}\p{Cf}]/gu; // for replace()
const HAS_CONTROL = /[\p{Cc}\p{Cf}]/u; // for test(): a /g regex would carry lastIndex from call to call
const ZRecipientSchema = z.email().max(200);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export type TEnrollmentMail = { to: { name: string; address: string }; subject: string; text: string; html: string };
export type TBuildEnrollmentMailResult = { ok: true; mail: TEnrollmentMail } | { ok: false; reason: string };

// The enrollment message, checked before any SMTP: the address must be one plain address (CR/LF, a second address or
// a header smuggled in are refused), and the display name loses control characters, so neither can add a header.
// Names travel as nodemailer's { name, address }, which it encodes (RFC 2047) instead of pasting into the header.
export const buildEnrollmentMail = (options: { email: string | null; displayName: string; username: string; url: string; expiresAt: Date }): TBuildEnrollmentMailResult => {
  if (!options.email) return { ok: false, reason: "no email address" };
  if (HAS_CONTROL.test(options.email) || !ZRecipientSchema.safeParse(options.email).success) return { ok: false, reason: `"${options.email.replace(CONTROL, "?")}" is not a valid email address` };
  const name = options.displayName.replace(CONTROL, " ").replace(/\s+/g, " ").trim().slice(0, 100);
  const greeting = name || options.username;
  const expires = options.expiresAt.toISOString().replace("T", " ").slice(0, 16) + " UTC";
  return {
    ok: true,
    mail: {
      to: { name, address: options.email },
      subject: "Set up two-factor authentication",
      text: [
        `Hello ${greeting},`,
        "",
        `Your administrator asks you to set up two-factor authentication for your account ${options.username}.`,
        "Open this link (once; it expires " + expires + "):",
        "",
        options.url,
        "",
        "If you did not expect this message, tell your IT helpdesk and do not open the link.",
      ].join("\n"),
      html: `<p>Hello ${escapeHtml(greeting)},</p><p>Your administrator asks you to set up two-factor authentication for your account <strong>${escapeHtml(options.username)}</strong>.</p>` +
        `<p><a href="${escapeHtml(options.url)}">Set up two-factor authentication</a> (once; the link expires ${expires}).</p>` +
        `<p>If you did not expect this message, tell your IT helpdesk and do not open the link.</p>`,
    },
  };
};
