import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";
import { testPrisma } from "./support/db";
import { freshTotp } from "./support/totp";

const shoot = async (page: Page, testInfo: TestInfo, name: string) =>
  testInfo.attach(name, { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath(`${name}.png`) }), contentType: "image/png" });

test("an invited admin must replace the temporary password before any session, and the 'no authenticator' banner goes once TOTP is on", async ({ page, browser }, testInfo) => {
  const run = readRun();
  const tag = randomUUID().slice(0, 8);
  const email = `invited-${tag}@example.test`;
  await signIn(page);
  await page.goto(`${run.baseURL}/admins`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("combobox", { name: "Role" }).last().selectOption("admin");
  await page.getByRole("button", { name: "Invite admin" }).click();
  const temporary = (await page.getByTestId("temporary-password").innerText()).trim();

  const context = await browser.newContext();
  const invited = await context.newPage();
  const typePassword = async (password: string) => {
    await invited.goto(`${run.baseURL}/sign-in`);
    await invited.getByLabel("Email").fill(email);
    await invited.getByLabel("Password").fill(password);
    await invited.getByRole("button", { name: "Continue" }).click();
  };
  await typePassword(temporary);
  await invited.waitForURL(/\/sign-in\/change-password$/);
  await expect(invited).toHaveTitle("Choose your password · Twofold");
  await shoot(invited, testInfo, "change-temporary-password");
  // No session exists yet: skipping the step leads back to sign-in.
  await invited.goto(`${run.baseURL}/users`);
  await invited.waitForURL(/\/sign-in/);
  expect(await (await testPrisma()).adminSession.count({ where: { admin: { email } } })).toBe(0);

  await typePassword(temporary);
  await invited.waitForURL(/\/sign-in\/change-password$/);
  await invited.getByLabel("New password").fill(temporary);
  await invited.getByLabel("Type it again").fill(temporary);
  await invited.getByRole("button", { name: "Save and continue" }).click();
  await expect(invited.locator('[data-field-error="newPassword"]')).toContainText("other than the temporary one");
  const chosen = `my own password ${tag}`;
  await invited.getByLabel("New password").fill(chosen);
  await invited.getByLabel("Type it again").fill(`${chosen}?`);
  await invited.getByRole("button", { name: "Save and continue" }).click();
  await expect(invited.locator('[data-field-error="confirmPassword"]')).toContainText("differ");
  await invited.getByLabel("Type it again").fill(chosen);
  await invited.getByRole("button", { name: "Save and continue" }).click();
  await invited.waitForURL(`${run.baseURL}/`);

  const banner = invited.getByText("Your admin account has no authenticator app yet");
  await expect(banner).toBeVisible();
  await invited.goto(`${run.baseURL}/account/two-factor`);
  const secret = (await invited.getByTestId("totp-secret").innerText()).trim();
  await invited.getByLabel("6-digit code").fill(await freshTotp(secret));
  await invited.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await invited.waitForURL(`${run.baseURL}/`);
  // Without a reload: the layout is rendered again from the now verified session.
  await expect(invited.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await expect(invited.getByText("This session has not passed two-factor sign-in")).toHaveCount(0);

  // The temporary password is dead; the chosen one leads to the code step.
  await invited.getByRole("button", { name: "Sign out" }).click();
  await typePassword(temporary);
  await expect(invited.locator("form .banner.error")).toContainText("incorrect");
  await typePassword(chosen);
  await invited.waitForURL(/\/sign-in\/code$/);
  await context.close();
  const prisma = await testPrisma();
  expect(await prisma.adminAuditEvent.count({ where: { action: "admin.temporary_password_changed", actorEmail: email } })).toBe(1);
  await prisma.admin.delete({ where: { email } });
});

test("after 'Application created' the admin is on the application's page with the keys shown once, and the form shows only what the primary mode uses", async ({ page }, testInfo) => {
  const run = readRun();
  const name = `onboard-${randomUUID().slice(0, 8)}`;
  await signIn(page);
  await page.goto(`${run.baseURL}/applications/new`);
  await expect(page.getByTestId("pass-through")).toBeVisible();
  await page.getByLabel("Primary authentication").selectOption("local");
  await expect(page.getByTestId("pass-through")).toBeHidden();
  await expect(page.getByLabel("Pass through all attributes from primary RADIUS")).toBeHidden();
  await expect(page.getByTestId("primary-mode-hint")).toContainText("local password");
  await page.getByLabel("Second-factor entry").selectOption("challenge");
  await expect(page.getByTestId("append-delimiter")).toBeHidden();
  await page.getByLabel("Second-factor entry").selectOption("append");
  await page.getByLabel("Primary authentication").selectOption("radius");
  await page.getByLabel("Pass through all attributes from primary RADIUS").uncheck();
  await page.getByLabel("Attributes to pass through (when not all)").fill("Class");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create application" }).click();

  await page.waitForURL(/\/applications\/[0-9a-f-]{36}\?created=1$/);
  const id = /\/applications\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? "";
  await expect(page.getByTestId("created-keys")).toContainText("Application created.");
  const skey = (await page.getByTestId("skey").innerText()).trim();
  expect(skey).toMatch(/^[A-Za-z0-9]{40}$/);
  await expect(page.getByTestId("ikey")).toHaveText(await page.getByTestId("app-ikey").innerText());
  await expect(page).toHaveTitle(`${name} · Applications · Twofold`);
  await shoot(page, testInfo, "application-created");
  await page.reload();
  await expect(page.getByTestId("app-ikey")).toBeVisible();
  await expect(page.getByTestId("created-keys")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(skey);

  // Saved settings the new mode ignores are named: the allow-list and an upstream server that checks no password now.
  const prisma = await testPrisma();
  const { encryptSecret } = await import("../lib/secrets/envelope");
  await prisma.primaryAuthServer.create({ data: { name: `ise-${name}`, kind: "radius", applicationId: id, host: "192.0.2.10", port: 1812, secret: encryptSecret("upstream-secret") } });
  await page.reload();
  await expect(page.getByTestId("ignored-settings")).toHaveCount(0);
  await page.getByLabel("Primary authentication").selectOption("local");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  const ignored = page.getByTestId("ignored-settings");
  await expect(ignored).toContainText("The pass-through attribute list is ignored");
  await expect(ignored).toContainText(`RADIUS server "ise-${name}" is ignored`);
  await shoot(page, testInfo, "application-ignored-settings");
  // And where the server is managed: its list row and its own page name the application that ignores it.
  const upstreamServer = await prisma.primaryAuthServer.findFirstOrThrow({ where: { applicationId: id } });
  await page.goto(`${readRun().baseURL}/primary-auth`);
  await expect(page.getByTestId("primary-auth-servers").getByRole("row", { name: new RegExp(`ise-${name}`) }).getByTestId("server-ignored")).toBeVisible();
  await page.goto(`${readRun().baseURL}/primary-auth/${upstreamServer.id}`);
  const ignoredBy = page.getByTestId("server-ignored-by");
  await expect(ignoredBy).toContainText(`${name}: RADIUS server "ise-${name}" is ignored`);
  await expect(ignoredBy.getByRole("link", { name })).toHaveAttribute("href", `/applications/${id}`);
  await shoot(page, testInfo, "primary-auth-server-ignored-by");
  await prisma.application.delete({ where: { id } });
});

test("overlapping RADIUS client prefixes are saved with a warning naming who answers which addresses", async ({ page }, testInfo) => {
  const run = readRun();
  const tag = randomUUID().slice(0, 8);
  await signIn(page);
  const create = async (name: string, address: string) => {
    await page.goto(`${run.baseURL}/radius-clients/new`);
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Address").fill(address);
    await page.getByLabel("Shared secret").fill(`secret-${tag}`);
    await page.getByRole("button", { name: "Create RADIUS client" }).click();
    await page.waitForURL(/saved=created/);
  };
  await create(`wide-${tag}`, "203.0.113.0/24");
  await create(`asa-${tag}`, "203.0.113.64/26");
  const warning = page.getByTestId("address-overlaps");
  await expect(warning).toContainText(`"asa-${tag}" (203.0.113.64/26) is inside "wide-${tag}" (203.0.113.0/24)`);
  await expect(warning).toContainText(`"asa-${tag}" answers 203.0.113.64–203.0.113.127`);
  await shoot(page, testInfo, "radius-client-overlap");
  await page.getByRole("link", { name: `wide-${tag}` }).click();
  await expect(page.getByTestId("address-overlaps")).toContainText(`"wide-${tag}" only the rest of 203.0.113.0/24`);
  // An identical prefix is still refused outright.
  await page.goto(`${run.baseURL}/radius-clients/new`);
  await page.getByLabel("Name").fill(`dup-${tag}`);
  await page.getByLabel("Address").fill("203.0.113.64/26");
  await page.getByLabel("Shared secret").fill(`secret-${tag}`);
  await page.getByRole("button", { name: "Create RADIUS client" }).click();
  await expect(page.locator('[data-field-error="address"]')).toContainText(`asa-${tag}`);
  const prisma = await testPrisma();
  await prisma.radiusClient.deleteMany({ where: { name: { in: [`wide-${tag}`, `asa-${tag}`] } } });
});

test("every console page has its own title", async ({ page }) => {
  const run = readRun();
  await page.goto(`${run.baseURL}/sign-in`);
  const titles = [await page.title()];
  await signIn(page);
  const paths = ["/", "/users", "/users/new", "/users/import", "/users/import-tokens", "/groups", "/applications", "/applications/new", "/policies", "/radius-clients", "/radius-clients/new", "/primary-auth", "/primary-auth/new", "/auth-log", "/admins", "/audit", "/account/two-factor"];
  for (const path of paths) {
    await page.goto(`${run.baseURL}${path}`);
    titles.push(await page.title());
  }
  expect(titles.every((title) => title.endsWith(" · Twofold")), titles.join(" | ")).toBe(true);
  expect(new Set(titles).size, titles.join(" | ")).toBe(titles.length);
});
