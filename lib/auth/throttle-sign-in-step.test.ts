import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { AppError } from "../errors/app-error";
import { encryptSecret } from "../secrets/envelope";
import { SIGN_IN_MAX_FAILURES } from "./claim-sign-in-attempt";
import { createKnownDeviceToken, readKnownDevice } from "./known-device";
import { hashPassword } from "./password";
import { signInWithAdminCode } from "./sign-in-with-admin-code";
import { throttleSignInStep, type TSignInSource } from "./throttle-sign-in-step";
import { verifyAdminPassword } from "./verify-admin-password";

const tag = randomUUID().slice(0, 8);
const email = `owner-${tag}@example.test`;
const password = "owner password 123";
const totpSecret = new Secret().base32;
let adminId = "";
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email, passwordHash: await hashPassword(password), role: "owner", totpEnabled: true, totpSecret: encryptSecret(totpSecret) } });
  adminId = admin.id;
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: adminId } });
  await prisma.$executeRaw`DELETE FROM "SignInThrottle" WHERE "key" LIKE ${`%${tag}%`} OR "key" = ${`code:${adminId}`}`;
  await disconnectPrisma();
});

const outcome = (promise: Promise<unknown>) => promise.then(() => "ok", (error: unknown) => (AppError.is(error) ? error.code : String(error)));
const passwordStep = (source: TSignInSource, typed: string) =>
  outcome(throttleSignInStep({ prisma, account: { step: "password", email }, source, run: () => verifyAdminPassword({ prisma, input: { email, password: typed } }) }));
const codeStep = (source: TSignInSource) =>
  outcome(throttleSignInStep({ prisma, account: { step: "code", adminId }, source, run: () => signInWithAdminCode({ prisma, adminId, code: TOTP.generate({ secret: Secret.fromBase32(totpSecret) }) }) }));
const tally = (results: string[]) => results.reduce<Record<string, number>>((counts, result) => ({ ...counts, [result]: (counts[result] ?? 0) + 1 }), {});

describe("console sign-in throttle", () => {
  it("30 concurrent wrong guesses get exactly the budget of checks, and never stop the owner's own browser", async () => {
    const attacker: TSignInSource = { ip: `198.51.100.${tag}` };
    const owner: TSignInSource = { ip: `203.0.113.${tag}`, knownDevice: readKnownDevice({ token: createKnownDeviceToken({ adminId, deviceId: `dev${tag}` }) }) };
    expect(owner.knownDevice).toEqual({ adminId, deviceId: `dev${tag}` });

    const guesses = await Promise.all(Array.from({ length: 30 }, (_, index) => passwordStep(attacker, `guess ${index}`)));
    expect(tally(guesses)).toEqual({ UNAUTHORIZED: SIGN_IN_MAX_FAILURES, RATE_LIMITED: 30 - SIGN_IN_MAX_FAILURES });

    // The rule: from a browser that completed password + TOTP before, the owner still gets in, both steps.
    expect(await passwordStep(owner, password)).toBe("ok");
    expect(await codeStep(owner)).toBe("ok");
    // From a new browser the account is throttled for this window (the right password is not even checked), and a
    // known-device token made for another admin, or forged, counts as a new browser.
    expect(await passwordStep({ ip: owner.ip }, password)).toBe("RATE_LIMITED");
    expect(await passwordStep({ ip: owner.ip, knownDevice: { adminId: randomUUID(), deviceId: `x${tag}` } }, password)).toBe("RATE_LIMITED");
    expect(readKnownDevice({ token: `${adminId}.dev${tag}.99999999999999.forged` })).toBeUndefined();
    // The window passes: a new browser may try again.
    expect(await outcome(throttleSignInStep({ prisma, account: { step: "password", email }, source: { ip: owner.ip }, now: new Date(Date.now() + 16 * 60_000), run: () => verifyAdminPassword({ prisma, input: { email, password } }) }))).toBe("ok");
  });

  it("a stolen known-device cookie gets the same exact budget under concurrency", async () => {
    const device: TSignInSource = { knownDevice: { adminId, deviceId: `stolen${tag}` } };
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, index) => passwordStep(device, `guess ${index}`)));
    expect(tally(guesses)).toEqual({ UNAUTHORIZED: SIGN_IN_MAX_FAILURES, RATE_LIMITED: 30 - SIGN_IN_MAX_FAILURES });
  });

  it("a success ends the account's run of failures and refunds the shared address", async () => {
    const source: TSignInSource = { ip: `192.0.2.${tag}`, knownDevice: { adminId, deviceId: `fresh${tag}` } };
    for (let index = 0; index < SIGN_IN_MAX_FAILURES - 1; index += 1) expect(await passwordStep(source, "wrong")).toBe("UNAUTHORIZED");
    expect(await passwordStep(source, password)).toBe("ok");
    for (let index = 0; index < SIGN_IN_MAX_FAILURES; index += 1) expect(await passwordStep(source, "wrong")).toBe("UNAUTHORIZED");
    expect(await passwordStep(source, password)).toBe("RATE_LIMITED");
  });
});
