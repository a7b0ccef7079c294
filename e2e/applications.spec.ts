import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

test("creating an application shows the skey once; reloading never shows it again; rotation shows a new one once", async ({ page }) => {
  const run = readRun();
  const name = `vpn-${randomUUID().slice(0, 8)}`;
  await signIn(page);
  await page.goto(`${run.baseURL}/applications/new`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Primary authentication").selectOption("none");
  await page.getByRole("button", { name: "Create application" }).click();
  const skey = (await page.getByTestId("skey").innerText()).trim();
  const ikey = (await page.getByTestId("ikey").innerText()).trim();
  expect(skey).toMatch(/^[A-Za-z0-9]{40}$/);
  expect(ikey).toMatch(/^[A-Z0-9]{20}$/);
  await expect(page.getByRole("button", { name: "Copy" }).first()).toBeVisible();

  await page.reload();
  await expect(page.locator("body")).not.toContainText(skey);
  await page.goto(`${run.baseURL}/applications`);
  await page.getByRole("link", { name }).click();
  await expect(page.getByTestId("app-ikey")).toHaveText(ikey);
  await expect(page.locator("body")).not.toContainText(skey);
  const snippet = page.getByTestId("asa-snippet");
  await expect(snippet).toContainText(/aaa-server TWOFOLD-VPN-[A-Z0-9-]+ protocol radius/);
  await expect(snippet).toContainText("timeout 60");
  await expect(snippet).toContainText("no mschapv2-capable");
  await expect(snippet).toContainText("authentication-server-group TWOFOLD-");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Rotate secret key" }).click();
  const rotated = (await page.getByTestId("skey").innerText()).trim();
  expect(rotated).toMatch(/^[A-Za-z0-9]{40}$/);
  expect(rotated).not.toBe(skey);
  await page.reload();
  await expect(page.locator("body")).not.toContainText(rotated);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete application" }).click();
  await page.waitForURL(/\/applications$/);
  await expect(page.getByTestId("applications")).not.toContainText(name);
});
