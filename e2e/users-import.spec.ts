import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";
import { testPrisma } from "./support/db";

test("CSV import lists every bad row and imports the others (password column hashed, never echoed), then a clean file lands with its groups and an audit entry", async ({ page }, testInfo) => {
  const run = readRun();
  const tag = randomUUID().slice(0, 8);
  await signIn(page);
  await page.goto(`${run.baseURL}/users/import`);
  // Bad rows: a space in a name, a bad email, an unclosed quote (which once swallowed the rest of the file), a
  // control byte, a password too short. The good rows around them still import.
  const secretPassword = `never-echoed-${tag}`;
  await page.getByLabel("…or paste CSV").fill(
    [
      "username,email,groups,password",
      `imp1-${tag},imp1@example.test,staff-${tag},`,
      `bad user ${tag},x@example.test,,`,
      `imp3-${tag},nope,,`,
      `"imp4-${tag},imp4@example.test,,${secretPassword}`,
      `imp5-${tag},,,${secretPassword}\u0001`,
      `imp6-${tag},,,short`,
      `imp7-${tag},,staff-${tag},${secretPassword}`,
    ].join("\n"),
  );
  await page.getByRole("button", { name: "Import" }).click();
  const errors = page.getByTestId("import-errors");
  for (const line of [3, 4, 5, 6, 7]) await expect(errors).toContainText(`Line ${line}:`);
  await expect(errors).toContainText("quoted field is not closed");
  await expect(page.getByRole("status").first()).toContainText("Imported: 2 created, 0 updated. 1 password(s) set. 5 row(s) skipped");
  await expect(page.locator("body")).not.toContainText(secretPassword);
  await page.screenshot({ fullPage: true, path: testInfo.outputPath("users-import-password-row-errors.png") });
  const prisma = await testPrisma();
  const imp7 = await prisma.user.findUniqueOrThrow({ where: { username: `imp7-${tag}` }, omit: { passwordHash: false } });
  expect(imp7.passwordHash).toMatch(/^\$argon2id\$/);
  expect(await prisma.user.count({ where: { username: { in: [`imp3-${tag}`, `imp4-${tag}`, `imp5-${tag}`, `imp6-${tag}`] } } })).toBe(0);

  await page.goto(`${run.baseURL}/users/import`);
  await page.getByLabel("…or paste CSV").fill(`imp1-${tag},imp1@example.test,staff-${tag}\nimp2-${tag},,staff-${tag}\n`);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("Imported: 1 created, 1 updated.")).toBeVisible();
  await page.goto(`${run.baseURL}/groups`);
  await page.getByRole("link", { name: `staff-${tag}` }).click();
  await expect(page.getByTestId("members").getByRole("link")).toHaveText([`imp1-${tag}`, `imp2-${tag}`, `imp7-${tag}`]);
  await page.goto(`${run.baseURL}/audit`);
  await expect(page.getByTestId("audit-events")).toContainText("user.import_csv");

  await prisma.user.deleteMany({ where: { username: { in: [`imp1-${tag}`, `imp2-${tag}`, `imp7-${tag}`] } } });
  await prisma.group.deleteMany({ where: { name: `staff-${tag}` } });
});
