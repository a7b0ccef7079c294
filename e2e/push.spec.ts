import { expect, test } from "@playwright/test";
import { radclient } from "../lib/testing/radclient";
import { enrollPhone } from "./support/enroll-phone";
import { seedLocalVpn } from "./support/seed-local-vpn";

// Two browser contexts: the user's laptop opens the enrollment link and hands over to the phone; the phone enrolls
// the Twofold authenticator (WebCrypto key in IndexedDB, no push service reachable here, so the live stream carries
// the requests). radclient plays the ASA: password,push → the phone sees it → Approve / Deny / This wasn't me.
test("authenticator PWA: enroll, push approved → Accept, denied → Reject, verified push number, 'this wasn't me' → fraud lockout", async ({ browser }) => {
  const { run, prisma, suffix, username, password, sharedSecret, application, user, remove } = await seedLocalVpn({
    prefix: "push",
    factorEntry: "both",
    password: (suffix) => `pw-${suffix}`,
    withPolicyOverride: true,
  });
  const login = (userPassword: string, options: { state?: string; callingStationId?: string } = {}) =>
    radclient({
      port: run.radiusAuthPort ?? 0,
      secret: sharedSecret,
      attributes: { "User-Name": username, "User-Password": userPassword, "Calling-Station-Id": options.callingStationId ?? "203.0.113.50" },
      rawAttributes: options.state ? [`State = ${options.state}`] : [],
      timeoutSec: 5,
      retries: 12,
    });
  const lastReason = () => expect.poll(async () => (await prisma.authEvent.findFirst({ where: { userId: user.id }, orderBy: { id: "desc" } }))?.reason, { timeout: 10_000 });

  // Seeded data goes even when enrolling fails.
  const { laptop, phone, app } = await enrollPhone({ browser, prisma, userId: user.id, baseURL: run.baseURL, password, deviceName: "Test Phone" }).catch(async (error: unknown) => {
    await remove();
    throw error;
  });
  try {
    const device = await prisma.authenticator.findFirstOrThrow({ where: { userId: user.id, kind: "push_device" } });
    expect(device.active).toBe(true);
    expect(JSON.parse(device.publicKey ?? "{}")).toMatchObject({ kty: "EC", crv: "P-256" });
    // The manifest and service worker make it installable.
    expect((await app.request.get(`${run.baseURL}/manifest.webmanifest`)).ok()).toBe(true);
    expect((await app.request.get(`${run.baseURL}/sw.js`)).ok()).toBe(true);

    // Approve. A packet sent before the worker loaded the new client is dropped; radclient's retransmit gets through.
    const approved = login(`${password},push`);
    const request = app.getByTestId("push-request");
    await expect(request).toContainText(`VPN push ${suffix}`, { timeout: 20_000 });
    await expect(request).toContainText("203.0.113.50");
    await request.getByRole("button", { name: "Approve" }).click();
    expect((await approved).code).toBe("Access-Accept");
    await lastReason().toBe("valid_push");

    // Deny.
    const denied = login(`${password},push`, { callingStationId: "203.0.113.51" });
    await expect(request).toContainText("203.0.113.51", { timeout: 20_000 });
    await request.getByRole("button", { name: "Deny", exact: true }).click();
    expect((await denied).code).toBe("Access-Reject");
    await lastReason().toBe("push_denied");

    // Verified push: the phone shows the number, the VPN client answers the challenge with it.
    await prisma.policy.update({ where: { applicationId: application.id }, data: { verifiedPush: true } });
    // The worker reloads its configuration on NOTIFY, well within this.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const challenge = await login(`${password},push`, { callingStationId: "203.0.113.52" });
    expect(challenge.code).toBe("Access-Challenge");
    expect(challenge.attributes.filter((a) => a.name === "Reply-Message").map((a) => a.value).join("")).toBe("Approve on your phone and type the number it shows");
    const number = (await app.getByTestId("push-verify-number").innerText({ timeout: 20_000 })).trim();
    expect(number).toMatch(/^\d{2,3}$/);
    await request.getByRole("button", { name: "Approve" }).click();
    const state = challenge.attributes.find((a) => a.name === "State")?.value ?? "";
    const verified = await login(number, { state, callingStationId: "203.0.113.52" });
    expect(verified.code).toBe("Access-Accept");
    await lastReason().toBe("valid_push");
    await prisma.policy.update({ where: { applicationId: application.id }, data: { verifiedPush: null } });
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // "Deny — this wasn't me": reject, fraud, locked out.
    const fraud = login(`${password},push`, { callingStationId: "203.0.113.53" });
    await expect(request).toContainText("203.0.113.53", { timeout: 20_000 });
    await request.getByRole("button", { name: "Deny — this wasn’t me" }).click();
    expect((await fraud).code).toBe("Access-Reject");
    await lastReason().toBe("user_marked_fraud");
    const event = await prisma.authEvent.findFirstOrThrow({ where: { userId: user.id }, orderBy: { id: "desc" } });
    expect(event.result).toBe("fraud");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe("locked_out");
  } finally {
    await laptop.close();
    await phone.close();
    await remove();
  }
});
