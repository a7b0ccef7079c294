import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { HOTP, Secret } from "otpauth";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";
import { testPrisma } from "./support/db";

test("an owner imports a hardware token CSV: the good row becomes an active, encrypted HOTP token that verifies, the bad row is listed", async ({ page }) => {
  const run = readRun();
  const tag = randomUUID().slice(0, 8);
  const prisma = await testPrisma();
  const user = await prisma.user.create({ data: { username: `hw-${tag}` } });
  const hex = randomUUID().replace(/-/g, "") + "0a1b2c3d";
  const serial = `HW-${tag}`;

  await signIn(page);
  await page.goto(`${run.baseURL}/users`);
  await page.getByRole("link", { name: "Import hardware tokens" }).click();
  await expect(page.getByRole("heading", { name: "Import hardware tokens" })).toBeVisible();
  await page.getByLabel("…or paste CSV").fill(`serial,secret,counter,username\n${serial},${hex},5,hw-${tag}\nBAD-${tag},not-a-secret!,0,hw-${tag}\n`);
  await page.getByLabel("Digits").selectOption("6");
  await page.getByRole("button", { name: "Import tokens" }).click();
  await expect(page.getByRole("status")).toContainText("Imported 1 token(s).");
  await expect(page.getByTestId("import-errors")).toContainText("Line 3: Secret is neither hex nor base32");
  const rows = page.getByTestId("imported-tokens").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.locator("td")).toHaveText([serial, `hw-${tag}`]);

  const token = await prisma.authenticator.findFirstOrThrow({ where: { userId: user.id }, omit: { secret: false } });
  expect([token.kind, token.serial, token.active, token.counter]).toEqual(["hotp", serial, true, 5n]);
  expect(token.secret).toMatch(/^v1:/);
  expect(token.secret).not.toContain(hex);
  expect(token.secret).not.toContain(Secret.fromHex(hex).base32);
  expect(await prisma.authenticator.count({ where: { serial: `BAD-${tag}` } })).toBe(0);
  const { verifyPasscode } = await import("../lib/factors/verify-passcode");
  const code = HOTP.generate({ secret: Secret.fromHex(hex), digits: 6, counter: 5 });
  expect(await verifyPasscode({ prisma, authenticatorIds: [token.id], code, now: new Date() })).toMatchObject({ ok: true, kind: "hotp" });

  // One audit event per imported token, committed with it.
  const audit = await prisma.adminAuditEvent.findFirstOrThrow({ where: { action: "authenticator.import_hotp", targetId: token.id } });
  expect(audit.after).toMatchObject({ serial, username: `hw-${tag}` });
  expect(JSON.stringify(audit.after)).not.toContain(hex);

  await prisma.user.delete({ where: { id: user.id } });
});
