import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

test("a Duo Auth API application's page shows the workers' API host and port, client configuration and the CA download", async ({ page }) => {
  const run = readRun();
  const name = `duo-${randomUUID().slice(0, 8)}`;
  await signIn(page);
  await page.goto(`${run.baseURL}/applications/new`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Kind").selectOption("auth_api");
  await page.getByLabel("Primary authentication").selectOption("none");
  await page.getByRole("button", { name: "Create application" }).click();
  const ikey = (await page.getByTestId("ikey").innerText()).trim();
  await page.goto(`${run.baseURL}/applications`);
  await page.getByRole("link", { name }).click();
  const card = page.getByTestId("api-endpoint-card");
  await expect(card).toBeVisible();
  // The worker reports its API port in its heartbeat; the page shows it once one has arrived.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("api-endpoints")).toContainText(/API host \S+ port \d+/, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(card).toContainText(`ikey = ${ikey}`);
  await expect(card).toContainText("cafile = /etc/duo/twofold-ca.pem");
  const href = await page.getByTestId("api-ca-download").getAttribute("href");
  const download = await page.request.get(`${run.baseURL}${href ?? ""}`);
  expect(download.status()).toBe(200);
  expect(await download.text()).toMatch(/^-----BEGIN CERTIFICATE-----/);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete application" }).click();
  await page.waitForURL(/\/applications$/);
});
