import { expect, test } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { radclient } from "../lib/testing/radclient";
import { seedLocalVpn } from "./support/seed-local-vpn";

// End to end, as a user meets it: a VPN login without a second factor is refused with a one-time enrollment link;
// the link, the user's own password, the QR page and a first code enroll an authenticator; the next VPN login with
// password,passcode is accepted and logged as valid_passcode.
test("enrollment link from a RADIUS reject → password → QR → first code → radclient login accepted", async ({ page }) => {
  const { run, prisma, username, password, sharedSecret, user, remove } = await seedLocalVpn({
    prefix: "enroll",
    factorEntry: "append",
    password: (suffix) => `pw,with,commas-${suffix}`,
  });
  const login = (userPassword: string) =>
    radclient({ port: run.radiusAuthPort ?? 0, secret: sharedSecret, attributes: { "User-Name": username, "User-Password": userPassword }, timeoutSec: 3, retries: 2 });

  try {
    // The worker picks up the new client within a second (LISTEN/NOTIFY); poll until it answers.
    let first = await login(password);
    for (let attempt = 0; attempt < 20 && !first.code; attempt += 1) first = await login(password);
    expect(first.code).toBe("Access-Reject");
    const message = first.attributes.filter((a) => a.name === "Reply-Message").map((a) => a.value).join("");
    const token = /\/enroll\/([\w-]+)/.exec(message)?.[1];
    expect(token, `Reply-Message: ${message}`).toBeTruthy();

    await page.goto(`${run.baseURL}/enroll/${token}`);
    await expect(page.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
    await expect(page.getByText(username)).toBeVisible();
    await page.getByLabel("Password").fill("not-my-password");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator('[data-field-error="password"]')).toContainText("not correct");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Continue" }).click();

    await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    const secretText = (await page.getByTestId("enroll-secret").innerText()).trim();
    expect(secretText).toMatch(/^[A-Z2-7]{32}$/);
    const secret = Secret.fromBase32(secretText);
    expect(await prisma.authenticator.count({ where: { userId: user.id, active: true } })).toBe(0);

    await page.getByLabel("Code from the app").fill("12");
    await page.getByRole("button", { name: "Activate" }).click();
    await expect(page.locator('[data-field-error="code"]')).toContainText("6-digit");
    const now = Date.now();
    await page.getByLabel("Code from the app").fill(TOTP.generate({ secret, timestamp: now }));
    await page.getByRole("button", { name: "Activate" }).click();
    await expect(page.getByTestId("enroll-done")).toBeVisible();
    expect(await prisma.authenticator.count({ where: { userId: user.id, active: true } })).toBe(1);

    // The link is spent.
    await page.goto(`${run.baseURL}/enroll/${token}`);
    await expect(page.getByTestId("enroll-invalid")).toContainText("already used");

    // The enrollment code's step is used up (replay guard): log in with the next step's code, inside the drift window.
    const accepted = await login(`${password},${TOTP.generate({ secret, timestamp: now + 30_000 })}`);
    expect(accepted.code).toBe("Access-Accept");
    await expect
      .poll(async () => (await prisma.authEvent.findFirst({ where: { userId: user.id, result: "success" }, orderBy: { id: "desc" } }))?.reason, { timeout: 10_000 })
      .toBe("valid_passcode");
  } finally {
    await remove();
  }
});
