import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

test("an admin creates a RADIUS client, sees it listed, edits and deletes it", async ({ page }) => {
  const run = readRun();
  const name = `asa-${randomUUID().slice(0, 8)}`;
  await signIn(page);
  await page.goto(`${run.baseURL}/radius-clients`);
  await page.getByRole("link", { name: "Add RADIUS client" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Address").fill("198.51.100.0/24");
  await page.getByLabel("Shared secret").fill("e2e-shared-secret");
  await page.getByRole("button", { name: "Create RADIUS client" }).click();
  await page.waitForURL(/\/radius-clients\?saved=created/);
  const row = page.getByTestId("radius-clients").getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("198.51.100.0/24");
  await expect(row).toContainText("required");
  await expect(page.locator("body")).not.toContainText("e2e-shared-secret");

  await row.getByRole("link", { name }).click();
  await expect(page.getByLabel("New shared secret")).toHaveValue("");
  await page.getByLabel("Address").fill("198.51.100.7");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(/saved=updated/);
  await expect(page.getByTestId("radius-clients").getByRole("row", { name: new RegExp(name) })).toContainText("198.51.100.7");

  await page.getByTestId("radius-clients").getByRole("link", { name }).click();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete RADIUS client" }).click();
  await page.waitForURL(/saved=deleted/);
  await expect(page.getByTestId("radius-clients")).not.toContainText(name);
});

test("a bad CIDR shows a field error and saves nothing", async ({ page }) => {
  const run = readRun();
  const name = `bad-${randomUUID().slice(0, 8)}`;
  await signIn(page);
  await page.goto(`${run.baseURL}/radius-clients/new`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Address").fill("10.0.0.1/24");
  await page.getByLabel("Shared secret").fill("e2e-shared-secret");
  await page.getByRole("button", { name: "Create RADIUS client" }).click();
  await expect(page.locator('[data-field-error="address"]')).toContainText("Host bits are set");
  // What the admin typed survives the failed save.
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await page.goto(`${run.baseURL}/radius-clients`);
  await expect(page.getByTestId("radius-clients")).not.toContainText(name);
});
