import { expect, test } from "@playwright/test";
import { radclient } from "../lib/testing/radclient";
import { seedLocalVpn } from "./support/seed-local-vpn";
import { enrollPhone } from "./support/enroll-phone";
import { signIn } from "./support/sign-in";

// The authenticator app as the user sees it, open on the phone while the VPN sends push after push: each result is
// about the last answer only (gone when the next request arrives), a denial is never shown as a success, and push
// logins mark the user and the device as seen.
test("authenticator page open: two pushes approved in a row, the old result never above the new request; 'Denied.' not green", async ({ browser }, testInfo) => {
  const { run, prisma, username, password, sharedSecret, user, remove } = await seedLocalVpn({ prefix: "pushapp", factorEntry: "both", password: (suffix) => `pw-${suffix}` });
  const login = (callingStationId: string) =>
    radclient({
      port: run.radiusAuthPort ?? 0,
      secret: sharedSecret,
      attributes: { "User-Name": username, "User-Password": `${password},push`, "Calling-Station-Id": callingStationId },
      timeoutSec: 5,
      retries: 12,
    });
  // Seeded data goes even when enrolling fails.
  const { laptop, phone, app } = await enrollPhone({ browser, prisma, userId: user.id, baseURL: run.baseURL, password, deviceName: "Phone" }).catch(async (error: unknown) => {
    await remove();
    throw error;
  });
  try {
    const request = app.getByTestId("push-request");
    const banner = app.getByTestId("authenticator-message");

    const first = login("203.0.113.60");
    await expect(request).toContainText("203.0.113.60", { timeout: 20_000 });
    await request.getByRole("button", { name: "Approve" }).click();
    expect((await first).code).toBe("Access-Accept");
    await expect(banner).toHaveText("Approved.");
    await expect(banner).toHaveAttribute("data-tone", "ok");
    await app.screenshot({ fullPage: true, path: testInfo.outputPath("authenticator-push-approved.png") });

    // The next push: the previous "Approved." must not sit above it.
    const second = login("203.0.113.61");
    await expect(request).toContainText("203.0.113.61", { timeout: 20_000 });
    await expect(banner).toHaveCount(0);
    await request.getByRole("button", { name: "Approve" }).click();
    expect((await second).code).toBe("Access-Accept");
    await expect(banner).toHaveText("Approved.");

    const third = login("203.0.113.62");
    await expect(request).toContainText("203.0.113.62", { timeout: 20_000 });
    await expect(banner).toHaveCount(0);
    await request.getByRole("button", { name: "Deny", exact: true }).click();
    expect((await third).code).toBe("Access-Reject");
    await expect(banner).toHaveText("Denied.");
    await expect(banner).toHaveAttribute("data-tone", "warn");
    await expect(banner).not.toHaveClass(/\bok\b/);

    // The worker's auth log inserts in batches, a moment after it answered.
    const logged = () => prisma.authEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    await expect.poll(async () => (await logged()).map((event) => event.reason), { timeout: 10_000 }).toEqual(["valid_push", "valid_push", "push_denied"]);
    const events = await logged();
    // Each push login is its own login: its own push request's id.
    expect(new Set(events.map((event) => event.loginId)).size).toBe(3);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).lastSeenAt).not.toBeNull();
    expect((await prisma.authenticator.findFirstOrThrow({ where: { userId: user.id, kind: "push_device" } })).lastUsedAt).not.toBeNull();

    // The helpdesk's trace shows the login's id (the push request), which a second worker's event would share.
    const console = await laptop.newPage();
    await signIn(console);
    await console.goto(`${run.baseURL}/auth-log?user=${encodeURIComponent(username)}`);
    const row = console.getByRole("row").filter({ hasText: "push_denied" }).first();
    await row.getByText("trace").click();
    await expect(row.getByTestId("event-login-id")).toHaveText(`login: ${events[2]?.loginId ?? "?"}`);
  } finally {
    await laptop.close();
    await phone.close();
    await remove();
  }
});

test("the policy form explains verified push the right way round", async ({ page }, testInfo) => {
  await signIn(page);
  const { readRun } = await import("./support/state");
  await page.goto(`${readRun().baseURL}/policies`);
  const help = page.getByText("The phone shows a number with each push, and the user types that number into the VPN client's prompt");
  await expect(help).toBeVisible();
  await page.locator(".field").filter({ has: help }).screenshot({ path: testInfo.outputPath("policies-verified-push-help.png") });
});
