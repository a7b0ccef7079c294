import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";
import { testPrisma } from "./support/db";

// Saved as test artifacts (test-results/ and the HTML report) so a person can look at the console.
test("screenshots of the dashboard, a user's page and the auth log", async ({ page }, testInfo) => {
  const run = readRun();
  const tag = randomUUID().slice(0, 8);
  const prisma = await testPrisma();
  const user = await prisma.user.create({ data: { username: `shot-${tag}`, email: `shot-${tag}@example.test` } });
  const reasons = ["valid_passcode", "invalid_passcode", "allow_unenrolled_user", "locked_out", "valid_push"];
  await prisma.authEvent.createMany({
    data: Array.from({ length: 40 }, (_, index) => {
      const reason = reasons[index % reasons.length] ?? "valid_passcode";
      return {
        eventId: randomUUID(), time: new Date(Date.now() - index * 37 * 60_000), usernameRaw: index % 3 ? `shot-${tag}` : `CORP\\shot-${tag}`, username: `shot-${tag}`, userId: user.id,
        result: reason.startsWith("valid") || reason.startsWith("allow") ? ("success" as const) : ("failure" as const), reason, workerId: `shots-${tag}`, clientName: "asa-hq", primaryMs: 40, secondFactorMs: 900,
      };
    }),
  });
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page);
  await page.goto(`${run.baseURL}/`);
  await expect(page.getByRole("heading", { name: "Last 24 hours" })).toBeVisible();
  await testInfo.attach("dashboard", { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath("dashboard.png") }), contentType: "image/png" });
  await page.goto(`${run.baseURL}/users/${user.id}`);
  await expect(page.getByTestId("user-log")).toBeVisible();
  await testInfo.attach("user-page", { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath("user-page.png") }), contentType: "image/png" });
  await page.goto(`${run.baseURL}/auth-log`);
  await expect(page.getByTestId("auth-log")).toContainText(`shot-${tag}`);
  await testInfo.attach("auth-log", { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath("auth-log.png") }), contentType: "image/png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await testInfo.attach("auth-log-phone", { body: await page.screenshot({ fullPage: false, path: testInfo.outputPath("auth-log-phone.png") }), contentType: "image/png" });

  await prisma.authEvent.deleteMany({ where: { workerId: `shots-${tag}` } });
  await prisma.user.delete({ where: { id: user.id } });
});
