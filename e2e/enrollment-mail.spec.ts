import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startTestSmtpServer, type TTestSmtpServer } from "../lib/mail/start-test-smtp-server";
import { seedLocalVpn } from "./support/seed-local-vpn";
import { signIn } from "./support/sign-in";

// Enrollment by email, end to end: the admin sets up SMTP in the console (password never shown again), sends one
// user an enrollment email, the link in the mail that a real SMTP server (aiosmtpd) received opens the enrollment,
// and on the QR step a tap-to-add otpauth:// link carries the same secret. Then a bulk send reports a bad address.
let smtp: TTestSmtpServer;
test.beforeAll(async () => {
  smtp = await startTestSmtpServer({ auth: { user: "twofold", password: "e2e-Smtp-Pass" } });
});
test.afterAll(async () => {
  await smtp?.stop();
});

const linkPath = (raw: string) => /https?:\/\/[^\s"<>]+(\/enroll\/[A-Za-z0-9_-]+)/.exec(raw.replace(/=\r?\n/g, ""))?.[1];

test("SMTP settings → send enrollment email → the mailed link enrolls, with a tap-to-add otpauth:// link", async ({ page }, testInfo) => {
  const seeded = await seedLocalVpn({ prefix: "mail", factorEntry: "append", password: (suffix) => `Mail-Pass-${suffix}` });
  const { prisma, run, user, username, password } = seeded;
  const badUser = await prisma.user.create({ data: { username: `mail-bad-${seeded.suffix}`, email: `reject-${seeded.suffix}@twofold.test` } });
  await prisma.user.update({ where: { id: user.id }, data: { email: `${username}@twofold.test`, displayName: "Mail\r\nBcc: attacker@evil.test" } });
  try {
    await signIn(page);
    await page.goto(`${run.baseURL}/settings/email`);
    await page.getByLabel("SMTP host").fill(smtp.host);
    await page.getByLabel("Port").fill(String(smtp.port));
    await page.getByLabel("Connection security").selectOption("none");
    await page.getByLabel("From address").fill("mfa@twofold.test");
    await page.getByLabel("Username (optional)").fill("twofold");
    await page.getByLabel("Password (optional)").fill("e2e-Smtp-Pass");
    await page.getByRole("button", { name: "Save mail server" }).click();
    await expect(page.getByTestId("smtp-settings").getByRole("status")).toContainText("Saved.");
    await page.reload();
    await expect(page.getByLabel("New password")).toHaveValue("");
    expect(await page.content()).not.toContain("e2e-Smtp-Pass");
    await page.screenshot({ fullPage: true, path: testInfo.outputPath("settings-email.png") });

    await page.goto(`${run.baseURL}/users/${user.id}`);
    await page.getByRole("button", { name: "Send enrollment email" }).click();
    await expect(page.getByTestId("send-enrollment-email").getByRole("status")).toContainText(`Sent to ${username}@twofold.test`);
    await page.screenshot({ fullPage: true, path: testInfo.outputPath("user-page-enrollment-email.png") });
    const mail = smtp.received().find((received) => received.to.includes(`${username}@twofold.test`));
    expect(mail?.authenticated).toBe(true);
    expect(mail!.raw.split(/\r?\n\r?\n/)[0]).not.toMatch(/^Bcc:/im);
    const path = linkPath(mail!.raw);
    expect(path).toBeTruthy();

    // The link as mailed (its host is TWOFOLD_PUBLIC_URL; this run's console listens elsewhere), opened on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${run.baseURL}${path}`);
    await expect(page.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    const secret = (await page.getByTestId("enroll-secret").innerText()).trim();
    const href = await page.getByTestId("enroll-otpauth-link").getAttribute("href");
    expect(href).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(href!).searchParams.get("secret")).toBe(secret);
    await page.screenshot({ fullPage: true, path: testInfo.outputPath("enroll-otpauth-phone.png") });
    await page.setViewportSize({ width: 1280, height: 720 });

    // Bulk: everyone without an authenticator; the refused address is listed, the good one still goes out.
    const other = await prisma.user.create({ data: { username: `mail-ok-${randomUUID().slice(0, 8)}`, email: `ok-${seeded.suffix}@twofold.test` } });
    try {
      await page.goto(`${run.baseURL}/users/enrollment-mail`);
      page.once("dialog", (dialog) => void dialog.accept());
      await page.getByRole("button", { name: /^Email \d+ user\(s\)$/ }).click();
      await expect(page.getByTestId("bulk-result")).toBeVisible();
      await expect(page.getByTestId("bulk-failed")).toContainText(badUser.username);
      await page.screenshot({ fullPage: true, path: testInfo.outputPath("users-enrollment-mail-bulk.png") });
      expect(smtp.received().some((received) => received.to.includes(`ok-${seeded.suffix}@twofold.test`))).toBe(true);
    } finally {
      await prisma.user.delete({ where: { id: other.id } });
    }
  } finally {
    await prisma.user.delete({ where: { id: badUser.id } });
    await prisma.setting.deleteMany({ where: { key: "smtp" } });
    await seeded.remove();
  }
});
