import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { readRun, writeOwner } from "./support/state";
import { freshTotp } from "./support/totp";

test("the one-time setup link creates the owner with TOTP, who can then sign in", async ({ page }) => {
  const run = readRun();
  const owner = { email: `owner-${randomUUID().slice(0, 8)}@example.test`, password: `pw-${randomUUID()}`, totpSecret: "" };

  await page.goto(`${run.baseURL}/setup?token=${run.setupToken}`);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.locator('[data-field-error="password"]')).toContainText("at least 12");

  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await page.waitForURL(/\/account\/two-factor\?setup=1/);
  owner.totpSecret = (await page.getByTestId("totp-secret").innerText()).trim();
  expect(owner.totpSecret).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel("6-digit code").fill("000000");
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.locator('[data-field-error="code"]')).toBeVisible();
  await page.getByLabel("6-digit code").fill(await freshTotp(owner.totpSecret));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await page.waitForURL(`${run.baseURL}/`);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  writeOwner(owner);

  // The link is single-use.
  await page.goto(`${run.baseURL}/setup?token=${run.setupToken}`);
  await expect(page.locator(".banner.warn")).toContainText("missing, expired or already used");

  await page.goto(`${run.baseURL}/`);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in$/);
  await page.goto(`${run.baseURL}/radius-clients`);
  await page.waitForURL(/\/sign-in$/);
});
