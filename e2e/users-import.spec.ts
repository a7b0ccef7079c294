import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";
import { testPrisma } from "./support/db";

test("CSV import reports every bad row and imports nothing, then a clean file lands with its groups and an audit entry", async ({ page }) => {
  const run = readRun();
  const tag = randomUUID().slice(0, 8);
  await signIn(page);
  await page.goto(`${run.baseURL}/users/import`);
  await page.getByLabel("…or paste CSV").fill(`username,email,groups\nimp1-${tag},imp1@example.test,staff-${tag}\nbad user ${tag},x@example.test,\nimp3-${tag},nope,\n`);
  await page.getByRole("button", { name: "Import" }).click();
  const errors = page.getByTestId("import-errors");
  await expect(errors).toContainText("Line 3:");
  await expect(errors).toContainText("Line 4:");
  await expect(page.getByRole("alert").first()).toContainText("nothing was imported");
  await page.goto(`${run.baseURL}/users?q=${tag}`);
  await expect(page.getByTestId("users")).toContainText("No user matches");

  await page.goto(`${run.baseURL}/users/import`);
  await page.getByLabel("…or paste CSV").fill(`imp1-${tag},imp1@example.test,staff-${tag}\nimp2-${tag},,staff-${tag}\n`);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("Imported: 2 created, 0 updated.")).toBeVisible();
  await page.goto(`${run.baseURL}/groups`);
  await page.getByRole("link", { name: `staff-${tag}` }).click();
  await expect(page.getByTestId("members").getByRole("link")).toHaveText([`imp1-${tag}`, `imp2-${tag}`]);
  await page.goto(`${run.baseURL}/audit`);
  await expect(page.getByTestId("audit-events")).toContainText("user.import_csv");

  const prisma = await testPrisma();
  await prisma.user.deleteMany({ where: { username: { in: [`imp1-${tag}`, `imp2-${tag}`] } } });
  await prisma.group.deleteMany({ where: { name: `staff-${tag}` } });
});
