import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { radclient } from "../lib/testing/radclient";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

// These tests own the global policy and the 127.0.0.1 RADIUS client while they run, so they run one after another.
test.describe.configure({ mode: "serial" });

const tag = randomUUID().slice(0, 8);
const appName = `live-${tag}`;
const clientName = `localhost-${tag}`;
const secret = `secret-${tag}`;

const login = (username: string) => {
  const run = readRun();
  if (!run.radiusAuthPort) throw new Error("the worker is not running (worker/main.ts missing?)");
  return radclient({ port: run.radiusAuthPort, secret, attributes: { "User-Name": username, "User-Password": "irrelevant", "NAS-IP-Address": "127.0.0.1" }, timeoutSec: 1 });
};

const setGlobalNewUserPolicy = async (page: Page, label: string) => {
  await page.goto(`${readRun().baseURL}/policies`);
  await page.getByLabel("New-user policy").selectOption({ label });
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("Policy saved")).toBeVisible();
};

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  const run = readRun();
  await signIn(page);
  await page.goto(`${run.baseURL}/applications/new`);
  await page.getByLabel("Name").fill(appName);
  await page.getByLabel("Primary authentication").selectOption("none");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByTestId("skey")).toBeVisible();
  await page.goto(`${run.baseURL}/radius-clients/new`);
  await page.getByLabel("Name").fill(clientName);
  await page.getByLabel("Address").fill("127.0.0.1");
  await page.getByLabel("Shared secret").fill(secret);
  await page.getByLabel("Application").selectOption({ label: appName });
  await page.getByRole("button", { name: "Create RADIUS client" }).click();
  await page.waitForURL(/saved=created/);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  const run = readRun();
  await signIn(page);
  await setGlobalNewUserPolicy(page, "Require enrollment (reject and send an enrollment link)");
  await page.goto(`${run.baseURL}/radius-clients`);
  await page.getByRole("link", { name: clientName }).click();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete RADIUS client" }).click();
  await page.waitForURL(/saved=deleted/);
  await page.goto(`${run.baseURL}/applications`);
  await page.getByRole("link", { name: appName }).click();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete application" }).click();
  await page.waitForURL(/\/applications$/);
  await page.close();
});

test("allow-without-2FA takes effect within a second with no restart, shows in the live tail, and deny rejects the next login", async ({ page, context }) => {
  const run = readRun();
  const username = `newbie-${tag}`;
  await signIn(page);
  const tail = await context.newPage();
  await tail.goto(`${run.baseURL}/auth-log`);
  await expect(tail.getByTestId("live-status")).toHaveText("live");

  await setGlobalNewUserPolicy(page, "Allow access without 2FA");
  const savedAt = Date.now();
  let reply = await login(username);
  while (reply.code !== "Access-Accept" && Date.now() - savedAt < 1_000) reply = await login(username);
  expect(reply.code, reply.stdout + reply.stderr).toBe("Access-Accept");

  const row = tail.getByTestId("auth-log").getByRole("row", { name: new RegExp(username) }).first();
  await expect(row).toBeVisible();
  await expect(row.getByTestId("event-reason")).toHaveText("allow_unenrolled_user");

  await setGlobalNewUserPolicy(page, "Deny access");
  const deniedAt = Date.now();
  let denied = await login(username);
  while (denied.code !== "Access-Reject" && Date.now() - deniedAt < 1_000) denied = await login(username);
  expect(denied.code).toBe("Access-Reject");
});

test("with domain stripping, CORP\\alice and alice@corp.example land on the same user page and log", async ({ page }) => {
  const run = readRun();
  const alice = `alice-${tag}`;
  await signIn(page);
  await page.goto(`${run.baseURL}/applications`);
  await page.getByRole("link", { name: appName }).click();
  const override = page.getByTestId("policy-form");
  await override.getByLabel("Username normalization").selectOption("strip_domain");
  await override.getByLabel("New-user policy").selectOption("allow_without_2fa");
  await override.getByRole("button", { name: "Save override" }).click();
  await expect(override.getByText("Policy saved")).toBeVisible();
  await page.goto(`${run.baseURL}/users/new`);
  await page.getByLabel("Username").fill(alice);
  await page.getByRole("button", { name: "Create user" }).click();
  await page.waitForURL(/\/users\/[0-9a-f-]{36}$/);
  const userPage = page.url();

  const deadline = Date.now() + 5_000;
  let first = await login(`CORP\\${alice}`);
  while (first.code !== "Access-Accept" && Date.now() < deadline) first = await login(`CORP\\${alice}`);
  expect(first.code).toBe("Access-Accept");
  expect((await login(`${alice}@corp.example`)).code).toBe("Access-Accept");

  // The page is server-rendered and the worker writes its log in batches: reload until both events are in.
  const log = page.getByTestId("user-log");
  await expect(async () => {
    await page.goto(userPage);
    await expect(log).toContainText(`sent as CORP\\${alice}`, { timeout: 1_000 });
    await expect(log).toContainText(`sent as ${alice}@corp.example`, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.goto(`${run.baseURL}/users?q=${alice}`);
  await expect(page.getByTestId("users").getByRole("row")).toHaveCount(2);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.goto(userPage);
  await page.getByRole("button", { name: "Delete user" }).click();
  await page.waitForURL(/\/users$/);
});
