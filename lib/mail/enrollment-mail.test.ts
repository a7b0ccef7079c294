import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { resolveEnrollmentLink } from "../enrollment/resolve-enrollment-link";
import { decryptSecret } from "../secrets/envelope";
import type { TPrisma } from "../db";
import { emailEnrollmentLink } from "./email-enrollment-link";
import { emailUnenrolledUsers } from "./email-unenrolled-users";
import { readStoredSmtpSettings, viewSmtpSettings } from "./read-smtp-settings";
import { saveSmtpSettings } from "./save-smtp-settings";
import { sendTestEmail } from "./send-test-email";
import { startTestSmtpServer, type TReceivedMail, type TTestSmtpServer } from "./start-test-smtp-server";

// Enrollment mail through a real SMTP server (aiosmtpd): STARTTLS and AUTH, the link in the mail is a working
// one-time link, hostile names and addresses cannot add headers, and a bulk send reports each failure.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let prisma: TPrisma;
let secure: TTestSmtpServer;
let plain: TTestSmtpServer;
const actor = { email: "mail-test@twofold.test" };
const SMTP_PASSWORD = "Smtp-Pa55word!";
const baseUrl = "http://enroll.twofold.test";

beforeAll(async () => {
  [database, secure, plain] = await Promise.all([
    createIsolatedDatabase(),
    startTestSmtpServer({ starttls: true, auth: { user: "twofold", password: SMTP_PASSWORD } }),
    startTestSmtpServer(),
  ]);
  prisma = database.prisma;
});
afterAll(async () => {
  await Promise.all([secure?.stop(), plain?.stop()]);
  await database?.drop();
});

const useServer = (server: TTestSmtpServer, extra: Record<string, string> = {}) =>
  saveSmtpSettings({ prisma, actor, input: { host: server.host, port: String(server.port), security: "none", fromAddress: "mfa@twofold.test", fromName: "Twofold", ...extra } });
const headers = (mail: TReceivedMail) => mail.raw.split(/\r?\n\r?\n/)[0]!;
const linkIn = (mail: TReceivedMail) => /http:\/\/enroll\.twofold\.test\/enroll\/([A-Za-z0-9_-]+)/.exec(mail.raw.replace(/=\r?\n/g, ""))?.[1];

describe("enrollment mail over SMTP", { timeout: 60_000 }, () => {
  it("keeps the SMTP password encrypted, never shows or audits it, and keeps it on a save without one", async () => {
    await useServer(secure, { security: "starttls", username: "twofold", password: SMTP_PASSWORD });
    const row = await prisma.setting.findUniqueOrThrow({ where: { key: "smtp" } });
    expect(row.value).not.toContain(SMTP_PASSWORD);
    const stored = await readStoredSmtpSettings({ prisma });
    expect(decryptSecret(stored!.passwordEnvelope!)).toBe(SMTP_PASSWORD);
    expect(JSON.stringify(await viewSmtpSettings({ prisma }))).not.toContain(stored!.passwordEnvelope!);
    expect(await viewSmtpSettings({ prisma })).toMatchObject({ hasPassword: true, username: "twofold" });
    await useServer(secure, { security: "starttls", username: "twofold" });
    expect((await readStoredSmtpSettings({ prisma }))!.passwordEnvelope).toBe(stored!.passwordEnvelope);
    const audits = (await prisma.adminAuditEvent.findMany({ where: { action: "settings.smtp" } })).map(({ before, after }) => ({ before, after }));
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain(SMTP_PASSWORD);
    expect(JSON.stringify(audits)).not.toContain(stored!.passwordEnvelope!);
  });

  it("sends over STARTTLS with AUTH a link that opens the user's enrollment", async () => {
    await useServer(secure, { security: "starttls", username: "twofold", password: SMTP_PASSWORD });
    const user = await prisma.user.create({ data: { username: "alice", displayName: "Alice Anders", email: "alice@twofold.test" } });
    const sent = await emailEnrollmentLink({ prisma, actor, userId: user.id, baseUrl, tls: { ca: secure.caCert } });
    expect(sent.to).toBe("alice@twofold.test");
    const [mail] = secure.received();
    expect(mail).toMatchObject({ to: ["alice@twofold.test"], tls: true, authenticated: true });
    expect(headers(mail!)).toMatch(/^To: Alice Anders <alice@twofold\.test>$/m);
    const token = linkIn(mail!);
    expect(await resolveEnrollmentLink({ prisma, token: token! })).toMatchObject({ ok: true, username: "alice" });
    expect(await prisma.adminAuditEvent.count({ where: { action: "user.send_enrollment_email", targetId: user.id } })).toBe(1);
  });

  it("a test message uses the saved settings and reports the server's answer or its refusal", async () => {
    await useServer(plain);
    expect((await sendTestEmail({ prisma, actor, input: { to: "admin@twofold.test" } })).response).toMatch(/250/);
    expect(plain.received().at(-1)!.to).toEqual(["admin@twofold.test"]);
    await expect(sendTestEmail({ prisma, actor, input: { to: "reject-admin@twofold.test" } })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    await expect(sendTestEmail({ prisma, actor, input: { to: "a@b.test\r\nBcc: c@d.test" } })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("never sends in clear when STARTTLS is required, and keeps no link for an unsent mail", async () => {
    await useServer(plain, { security: "starttls" });
    const user = await prisma.user.create({ data: { username: "bob", email: "bob@twofold.test" } });
    const before = plain.received().length;
    await expect(emailEnrollmentLink({ prisma, actor, userId: user.id, baseUrl })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(plain.received()).toHaveLength(before);
    expect(await prisma.enrollmentLink.count({ where: { userId: user.id } })).toBe(0);
    // The link existed for the attempt: issued and withdrawn, both audited.
    expect((await prisma.adminAuditEvent.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" } })).map((event) => event.action)).toEqual(["user.send_enrollment_email", "user.send_enrollment_email_failed"]);
  });

  it("sends nothing and keeps no link when the link's audit row cannot be written", async () => {
    await useServer(plain);
    const user = await prisma.user.create({ data: { username: "carol", email: "carol@twofold.test" } });
    const before = plain.received().length;
    // An adminId naming no admin fails the audit insert on its foreign key, inside the link's transaction.
    await expect(emailEnrollmentLink({ prisma, actor: { adminId: "00000000-0000-4000-8000-000000000000", email: "ghost@twofold.test" }, userId: user.id, baseUrl })).rejects.toThrow();
    expect(await prisma.enrollmentLink.count({ where: { userId: user.id } })).toBe(0);
    expect(plain.received()).toHaveLength(before);
  });

  it("cannot be made to add headers or recipients through the display name or the address", async () => {
    await useServer(plain);
    const name = await prisma.user.create({ data: { username: "mallory", displayName: "Mallory\r\nBcc: attacker@evil.test\r\nSubject: pwned", email: "mallory@twofold.test" } });
    await emailEnrollmentLink({ prisma, actor, userId: name.id, baseUrl });
    const mail = plain.received().at(-1)!;
    expect(mail.to).toEqual(["mallory@twofold.test"]);
    expect(headers(mail)).not.toMatch(/^Bcc:/im);
    expect(headers(mail).match(/^Subject:/gim)).toHaveLength(1);
    for (const email of ["x@twofold.test\r\nBcc: attacker@evil.test", "x@twofold.test, attacker@evil.test", "Attacker <attacker@evil.test>", "no-at-sign", "x@twofold.test\u0007", "x\u202e@twofold.test"]) {
      const user = await prisma.user.create({ data: { username: `hostile-${Math.random().toString(36).slice(2, 8)}`, email } });
      await expect(emailEnrollmentLink({ prisma, actor, userId: user.id, baseUrl })).rejects.toMatchObject({ code: "VALIDATION" });
      expect(await prisma.enrollmentLink.count({ where: { userId: user.id } })).toBe(0);
    }
    expect(plain.received().flatMap((received) => received.to)).not.toContain("attacker@evil.test");
  });

  it("bulk: mails every user without an authenticator; a bad address or a refusal is reported and blocks nobody", async () => {
    await prisma.user.deleteMany({});
    await useServer(plain);
    const before = plain.received().length;
    const enrolled = await prisma.user.create({ data: { username: "enrolled", email: "enrolled@twofold.test" } });
    await prisma.authenticator.create({ data: { userId: enrolled.id, kind: "totp", active: true } });
    await prisma.user.createMany({
      data: [
        { username: "a-first", email: "first@twofold.test" },
        { username: "b-noemail" },
        { username: "c-invalid", email: "not an address" },
        { username: "d-refused", email: "reject-me@twofold.test" },
        { username: "e-last", email: "last@twofold.test" },
        { username: "f-disabled", email: "disabled@twofold.test", status: "disabled" },
      ],
    });
    const result = await emailUnenrolledUsers({ prisma, actor, baseUrl });
    expect(result.sent.map((row) => row.username)).toEqual(["a-first", "e-last"]);
    expect(result.failed.map((row) => row.username)).toEqual(["c-invalid", "d-refused"]);
    expect(result.failed[1]!.reason).toMatch(/550|mailbox unavailable|rejected/i);
    expect(result.skipped).toEqual([{ username: "b-noemail", reason: "no email address" }]);
    expect(plain.received().slice(before).flatMap((mail) => mail.to).sort()).toEqual(["first@twofold.test", "last@twofold.test"]);
    expect(await prisma.enrollmentLink.count({ where: { user: { username: "d-refused" } } })).toBe(0);
    expect(await prisma.adminAuditEvent.findFirst({ where: { action: "user.send_enrollment_email_bulk" }, orderBy: { id: "desc" } })).toMatchObject({ after: { sent: 2, skipped: 1 } });
  });
});
