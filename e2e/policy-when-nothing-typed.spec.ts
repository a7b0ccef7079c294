import { expect, test } from "@playwright/test";
import { radclient } from "../lib/testing/radclient";
import { seedLocalVpn } from "./support/seed-local-vpn";
import { signIn } from "./support/sign-in";

// The policy form's "When nothing is typed" (components/policies/policy-form.tsx) on one application's override:
// saved from the application page, audited, and the next login with nothing after the password pushes to the user's
// first device (a pending PushRequest), while the global policy — and so every other application — keeps the menu.
test("'When nothing is typed: push to the first device' on an override: saved, audited, a bare-password login pushes; the global policy keeps the menu", async ({ page }) => {
  const seeded = await seedLocalVpn({ prefix: "wnt", factorEntry: "both", password: (suffix) => `pw-${suffix}`, withPolicyOverride: true });
  const { run, prisma, suffix, username, password, sharedSecret, application, user } = seeded;
  const { createTestDevice } = await import("../lib/push/test-device");
  const { registerPushDevice } = await import("../lib/push/register-push-device");
  const { decidePush } = await import("../lib/push/decide-push");
  const device = await createTestDevice();
  // No push service reachable here: the device is the live-stream kind (no subscription), as the PWA makes it.
  const { deviceId } = await registerPushDevice({ prisma, userId: user.id, name: `Phone ${suffix}`, publicKeyJwk: device.publicKeyJwk });
  const login = (timeoutSec: number, retries: number) =>
    radclient({ port: run.radiusAuthPort ?? 0, secret: sharedSecret, attributes: { "User-Name": username, "User-Password": password, "Calling-Station-Id": "203.0.113.60" }, timeoutSec, retries });
  const pending = () => prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } });
  const globalSetting = async () => (await prisma.policy.findFirst({ where: { applicationId: null } }))?.whenNothingTyped ?? "challenge_menu";
  try {
    expect(await globalSetting()).toBe("challenge_menu");
    // Before: nothing typed is answered with the menu. A packet sent before the worker loaded the new client is
    // dropped; a retransmit gets through.
    const before = await login(2, 8);
    expect(before.code, before.stdout + before.stderr).toBe("Access-Challenge");
    expect(before.attributes.filter((a) => a.name === "Reply-Message").map((a) => a.value).join("")).toContain(`1 for push to Phone ${suffix}`);
    expect(await pending()).toBeNull();

    await signIn(page);
    await page.goto(`${run.baseURL}/applications/${application.id}`);
    const form = page.getByTestId("policy-form");
    const setting = form.getByLabel("When nothing is typed");
    await expect(setting).toHaveValue("inherit");
    await setting.selectOption({ label: "Push to the first device; the menu only for users without one" });
    await form.getByRole("button", { name: "Save override" }).click();
    await expect(form.getByText("Policy saved")).toBeVisible();
    expect((await prisma.policy.findUniqueOrThrow({ where: { applicationId: application.id } })).whenNothingTyped).toBe("push_first");
    await page.reload();
    await expect(page.getByTestId("policy-form").getByLabel("When nothing is typed")).toHaveValue("push_first");

    // Audited: the newest event is this override, with the new value after.
    await page.goto(`${run.baseURL}/audit`);
    const row = page.getByTestId("audit-events").getByRole("row").filter({ hasText: "policy.save_override" }).first();
    await expect(row).toContainText(`Policy ${application.id.slice(0, 8)}`);
    await row.getByText("before / after").click();
    await expect(row.locator("pre")).toContainText(/after: [^]*"whenNothingTyped": "push_first"/);

    // A bare password now pushes. The worker takes the saved policy on NOTIFY; until it has, a login still gets the
    // menu, so try again until one pushes (each such try is answered with a challenge, never a push).
    const found: { push: Awaited<ReturnType<typeof pending>> } = { push: null };
    let answer: ReturnType<typeof login> | undefined;
    for (let attempt = 0; attempt < 10 && !found.push; attempt += 1) {
      const reply = login(30, 1);
      let answered = false;
      void reply.then(() => (answered = true));
      // Either a push is pending (the new policy) or the login was already answered (the old one).
      await expect.poll(async () => Boolean((found.push = await pending())) || answered, { timeout: 15_000 }).toBe(true);
      if (found.push) answer = reply;
      else expect((await reply).code).toBe("Access-Challenge");
    }
    const pushed = found.push;
    expect(pushed, "no push after the override was saved").not.toBeNull();
    expect(pushed).toMatchObject({ applicationId: application.id, callingStation: "203.0.113.60", status: "pending" });
    // The phone approves (signed with its key, as the authenticator page signs) and the login is accepted.
    const signature = await device.signDecision({ requestId: pushed?.id ?? "", decision: "approve", number: pushed?.verifyNumber ?? null });
    expect(await decidePush({ prisma, requestId: pushed?.id ?? "", deviceId, decision: "approve", number: pushed?.verifyNumber ?? null, signature, now: new Date() })).toMatchObject({ ok: true });
    expect((await answer)?.code).toBe("Access-Accept");

    // The global policy still shows the menu.
    expect(await globalSetting()).toBe("challenge_menu");
    await page.goto(`${run.baseURL}/policies`);
    await expect(page.getByTestId("policy-form").getByLabel("When nothing is typed")).toHaveValue("challenge_menu");
  } finally {
    await seeded.remove();
  }
});
