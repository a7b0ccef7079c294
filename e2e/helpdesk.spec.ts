import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";
import { testPrisma } from "./support/db";
import { freshTotp } from "./support/totp";

test("helpdesk sees a user's log, unlocks the user, issues a bypass code, and is forbidden a policy change by direct request", async ({ page, browser }) => {
  const run = readRun();
  const tag = randomUUID().slice(0, 8);
  const prisma = await testPrisma();
  const user = await prisma.user.create({ data: { username: `locked-${tag}`, status: "locked_out", failedAttempts: 10, lockedAt: new Date() } });
  await prisma.authEvent.createMany({
    data: [1, 2, 3].map((n) => ({
      eventId: randomUUID(), time: new Date(Date.now() - n * 60_000), usernameRaw: `locked-${tag}`, username: `locked-${tag}`, userId: user.id,
      result: n === 1 ? ("failure" as const) : ("success" as const), reason: n === 1 ? "locked_out" : "valid_passcode", workerId: "e2e-seed", clientName: "asa-seed",
    })),
  });

  // The owner invites a helpdesk admin; the temporary password is shown once.
  await signIn(page);
  await page.goto(`${run.baseURL}/admins`);
  const helpdesk = { email: `helpdesk-${tag}@example.test`, password: "", totpSecret: "" };
  await page.getByLabel("Email").fill(helpdesk.email);
  await page.getByRole("combobox", { name: "Role" }).last().selectOption("helpdesk");
  await page.getByRole("button", { name: "Invite admin" }).click();
  helpdesk.password = (await page.getByTestId("temporary-password").innerText()).trim();

  // First sign-in: no TOTP yet, so enroll one before doing anything that changes state.
  const context = await browser.newContext();
  const desk = await context.newPage();
  await desk.goto(`${run.baseURL}/sign-in`);
  await desk.getByLabel("Email").fill(helpdesk.email);
  await desk.getByLabel("Password").fill(helpdesk.password);
  await desk.getByRole("button", { name: "Continue" }).click();
  // The temporary password is replaced first (e2e/console-onboarding.spec.ts covers that step).
  await desk.waitForURL(/\/sign-in\/change-password$/);
  await desk.getByLabel("New password").fill(`helpdesk own password ${tag}`);
  await desk.getByLabel("Type it again").fill(`helpdesk own password ${tag}`);
  await desk.getByRole("button", { name: "Save and continue" }).click();
  await desk.waitForURL(`${run.baseURL}/`);
  await desk.goto(`${run.baseURL}/account/two-factor`);
  helpdesk.totpSecret = (await desk.getByTestId("totp-secret").innerText()).trim();
  await desk.getByLabel("6-digit code").fill(await freshTotp(helpdesk.totpSecret));
  await desk.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await desk.waitForURL(`${run.baseURL}/`);
  await expect(desk.getByRole("link", { name: "Policies" })).toHaveCount(0);

  await desk.goto(`${run.baseURL}/users?q=locked-${tag}`);
  await desk.getByRole("link", { name: `locked-${tag}` }).click();
  await expect(desk.getByTestId("user-log").locator("tbody tr")).toHaveCount(3);
  await expect(desk.getByTestId("user-log").locator("tbody tr").first()).toContainText("locked_out");
  await expect(desk.getByTestId("user-status")).toHaveText("locked out");
  await desk.getByRole("button", { name: "Unlock user" }).click();
  // The page re-renders from the database after the action: the badge flips and the unlock button goes away.
  await expect(desk.getByTestId("user-status")).toHaveText("active");
  await expect(desk.getByRole("button", { name: "Unlock user" })).toHaveCount(0);

  await desk.getByRole("button", { name: "Generate bypass code" }).click();
  await expect(desk.getByTestId("bypass-code")).toHaveText(/^\d{12}$/);
  expect(await prisma.bypassCode.count({ where: { userId: user.id } })).toBe(1);

  // Direct requests, not hidden buttons: the policy API and the policies page both refuse.
  // A value no other test uses: other specs change the global policy concurrently.
  const response = await desk.request.put(`${run.baseURL}/api/policies/global`, { data: { newUserPolicy: "allow_without_2fa", lockoutThreshold: 987 } });
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: string }).error).toMatch(/forbidden/i);
  expect(await prisma.policy.count({ where: { lockoutThreshold: 987 } })).toBe(0);
  await desk.goto(`${run.baseURL}/policies`);
  await desk.waitForURL(/\/forbidden/);
  await expect(desk.locator("h1")).toHaveText("Forbidden");
  await context.close();

  await prisma.user.delete({ where: { id: user.id } });
  await prisma.authEvent.deleteMany({ where: { workerId: "e2e-seed", username: `locked-${tag}` } });
  await prisma.admin.deleteMany({ where: { email: helpdesk.email } });
});
