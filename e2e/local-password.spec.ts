import { expect, test } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { radclient } from "../lib/testing/radclient";
import { signIn } from "./support/sign-in";
import { seedLocalVpn } from "./support/seed-local-vpn";

// The "local password" primary, reachable from the console: the admin resets a user's password on the user page and
// the worker accepts it (radclient, password,code appended); then the admin leaves it to the user, whose enrollment
// link asks them to choose one, and that chosen password is what the VPN accepts next.
test("local password: reset on the user page → radclient accepts it; 'user must choose at enrollment' → the enrollment page asks for it", async ({ page }, testInfo) => {
  const { run, prisma, username, password: seededPassword, sharedSecret, user, remove } = await seedLocalVpn({ prefix: "localpw", factorEntry: "append", password: (suffix) => `seeded-${suffix}` });
  const login = (userPassword: string) =>
    radclient({ port: run.radiusAuthPort ?? 0, secret: sharedSecret, attributes: { "User-Name": username, "User-Password": userPassword }, timeoutSec: 3, retries: 2 });
  // One authenticator per check: a code is single use per authenticator, so each reject below is the password's.
  const [first, second, third] = [new Secret({ size: 20 }), new Secret({ size: 20 }), new Secret({ size: 20 })];
  const { encryptSecret } = await import("../lib/secrets/envelope");
  await prisma.authenticator.createMany({ data: [first, second, third].map((secret, index) => ({ userId: user.id, kind: "totp" as const, name: `seeded-${index}`, secret: encryptSecret(secret.base32), active: true })) });
  const code = (secret: Secret, offsetSteps = 0) => TOTP.generate({ secret, timestamp: Date.now() + offsetSteps * 30_000 });

  try {
    await signIn(page);
    await page.goto(`${run.baseURL}/users/${user.id}`);
    const form = page.getByTestId("local-password-form");
    await expect(page.getByTestId("local-password-state")).toHaveText("A local password is set.");
    await form.getByLabel("New password").fill("short");
    await form.getByRole("button", { name: "Save password" }).click();
    await expect(form.locator('[data-field-error="password"]')).toContainText("at least 8");
    const resetTo = `Nëw pässwörd,${user.id.slice(0, 6)}`;
    await form.getByLabel("New password").fill(resetTo);
    await form.getByRole("button", { name: "Save password" }).click();
    await expect(form.getByText("Saved.")).toBeVisible();
    await expect(page.locator("body")).not.toContainText(resetTo);

    // The worker's local primary now takes the new password only (the old one is gone), through the real pipeline.
    let accepted = await login(`${resetTo},${code(first)}`);
    for (let attempt = 0; attempt < 10 && !accepted.code; attempt += 1) accepted = await login(`${resetTo},${code(first)}`);
    expect(accepted.code).toBe("Access-Accept");
    expect((await login(`${seededPassword},${code(second)}`)).code).toBe("Access-Reject");

    // Leave it to the user: the current password stops working at once.
    await form.getByLabel("User must choose it at enrollment").check();
    await expect(form.getByLabel("New password")).toHaveCount(0);
    await form.getByRole("button", { name: "Save password" }).click();
    await expect(page.getByTestId("local-password-state")).toContainText("The user chooses a password on the enrollment page");
    await form.screenshot({ path: testInfo.outputPath("user-local-password.png") });
    expect((await login(`${resetTo},${code(third)}`)).code).toBe("Access-Reject");
    expect(await prisma.adminAuditEvent.count({ where: { targetId: user.id, action: { in: ["user.password_set", "user.password_choose_at_enrollment"] } } })).toBe(2);

    await page.getByRole("button", { name: "Create enrollment link" }).click();
    const link = (await page.getByTestId("enrollment-link").innerText()).trim();
    await page.goto(link.replace(/^https?:\/\/[^/]+/, run.baseURL));
    await expect(page.getByText("Choose the password")).toBeVisible();
    await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);
    const chosen = `chösen by ${username}`;
    await page.getByLabel("New password").fill(chosen);
    await page.getByLabel("Type it again").fill(`${chosen}!`);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator('[data-field-error="confirmPassword"]')).toContainText("differ");
    await page.screenshot({ fullPage: true, path: testInfo.outputPath("enroll-choose-password.png") });
    await page.getByLabel("New password").fill("bell\u0007ringer");
    await page.getByLabel("Type it again").fill("bell\u0007ringer");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator('[data-field-error="newPassword"]')).toContainText("control characters");
    await page.getByLabel("New password").fill(chosen);
    await page.getByLabel("Type it again").fill(chosen);
    await page.getByRole("button", { name: "Continue" }).click();

    const secret = Secret.fromBase32((await page.getByTestId("enroll-secret").innerText()).trim());
    await page.getByLabel("Code from the app").fill(code(secret));
    await page.getByRole("button", { name: "Activate" }).click();
    await expect(page.getByTestId("enroll-done")).toBeVisible();
    // The activation spent this step's code: the next step's, inside the drift window.
    expect((await login(`${chosen},${code(secret, 1)}`)).code).toBe("Access-Accept");
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(stored.passwordChoiceRequired).toBe(false);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  } finally {
    await prisma.authenticator.deleteMany({ where: { userId: user.id } });
    await remove();
  }
});
