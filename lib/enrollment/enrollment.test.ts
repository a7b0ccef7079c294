import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password";
import { disconnectPrisma, prisma } from "../db";
import { AppError } from "../errors/app-error";
import { completeEnrollment } from "./complete-enrollment";
import { createEnrollmentLink } from "./create-enrollment-link";
import { resolveEnrollmentLink } from "./resolve-enrollment-link";
import { startEnrollment } from "./start-enrollment";
import { createEnrollmentPasswordVerifier, type TVerifyEnrollmentPassword } from "./verify-enrollment-password";

afterAll(disconnectPrisma);

const seed = async (password = "correct horse battery") => {
  const user = await prisma.user.create({ data: { username: `enroll-${randomUUID()}`, passwordHash: await hashPassword(password) }, select: { id: true, username: true } });
  const link = await createEnrollmentLink({ prisma, userId: user.id, createdBy: "test", baseUrl: "https://mfa.example" });
  return { user, link, password };
};
const verifyPassword = createEnrollmentPasswordVerifier({ prisma });
const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
  throw new Error("expected a rejection");
};

describe("enrollment", () => {
  it("link → password → QR and secret → first code activates and spends the link", async () => {
    const { user, link, password } = await seed();
    expect(link.url).toBe(`https://mfa.example/enroll/${link.token}`);
    const stored = await prisma.enrollmentLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(stored.tokenHash).not.toContain(link.token);

    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password: "wrong" }, verifyPassword }))).toMatchObject({ code: "VALIDATION", fieldErrors: { password: [expect.any(String)] } });
    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password: "" }, verifyPassword }))).toMatchObject({ fieldErrors: { password: ["Enter your password"] } });
    const started = await startEnrollment({ prisma, token: link.token, input: { password }, verifyPassword });
    expect(started.qrSvg).toContain("<svg");
    expect(started.uri).toContain(`secret=${started.secretBase32}`);
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: started.authenticatorId } })).active).toBe(false);

    const now = new Date();
    const code = TOTP.generate({ secret: Secret.fromBase32(started.secretBase32), timestamp: now.getTime() });
    const wrong = code === "000000" ? "000001" : "000000";
    expect(await rejection(completeEnrollment({ prisma, token: link.token, input: { authenticatorId: started.authenticatorId, code: wrong }, now }))).toMatchObject({ fieldErrors: { code: [expect.any(String)] } });
    expect(await rejection(completeEnrollment({ prisma, token: link.token, input: { authenticatorId: started.authenticatorId, code: "12" }, now }))).toMatchObject({ fieldErrors: { code: ["Enter the 6-digit code your app shows"] } });
    await completeEnrollment({ prisma, token: link.token, input: { authenticatorId: started.authenticatorId, code, name: "Pixel 8" }, now });
    const authenticator = await prisma.authenticator.findUniqueOrThrow({ where: { id: started.authenticatorId } });
    expect({ active: authenticator.active, name: authenticator.name, userId: authenticator.userId }).toEqual({ active: true, name: "Pixel 8", userId: user.id });
    expect(await resolveEnrollmentLink({ prisma, token: link.token })).toEqual({ ok: false, reason: "used" });
    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password }, verifyPassword }))).toMatchObject({ code: "FORBIDDEN" });
  });
  it("refuses unknown and expired links, and another user's authenticator", async () => {
    expect(await resolveEnrollmentLink({ prisma, token: "x".repeat(22) })).toEqual({ ok: false, reason: "invalid" });
    expect(await resolveEnrollmentLink({ prisma, token: "../../etc" })).toEqual({ ok: false, reason: "invalid" });
    const { link } = await seed();
    expect(await resolveEnrollmentLink({ prisma, token: link.token, now: new Date(Date.now() + 25 * 3600_000) })).toEqual({ ok: false, reason: "expired" });
    const other = await seed();
    const started = await startEnrollment({ prisma, token: other.link.token, input: { password: other.password }, verifyPassword });
    const code = TOTP.generate({ secret: Secret.fromBase32(started.secretBase32) });
    expect(await rejection(completeEnrollment({ prisma, token: link.token, input: { authenticatorId: started.authenticatorId, code } }))).toMatchObject({ code: "VALIDATION" });
  });
  it("spends the link after five wrong passwords", async () => {
    const { link, password } = await seed();
    for (let i = 0; i < 4; i += 1) expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password: "nope" }, verifyPassword }))).toMatchObject({ code: "VALIDATION" });
    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password: "nope" }, verifyPassword }))).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Too many/) });
    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password }, verifyPassword }))).toMatchObject({ code: "FORBIDDEN" });
  });
  // Counted in the link's row, claimed before each check: console processes (or one process's concurrent requests)
  // share one bound instead of each keeping its own count.
  it("20 concurrent wrong passwords cost at most five checks and spend the link", async () => {
    const { link, password } = await seed();
    let checks = 0;
    const counting: TVerifyEnrollmentPassword = async (options) => {
      checks += 1;
      return verifyPassword(options);
    };
    const tries = await Promise.all(Array.from({ length: 20 }, () => rejection(startEnrollment({ prisma, token: link.token, input: { password: "nope" }, verifyPassword: counting }))));
    expect(checks).toBeLessThanOrEqual(5);
    expect(tries.every((tried) => tried.code === "VALIDATION" || (tried.code === "FORBIDDEN" && /Too many/.test(tried.message)))).toBe(true);
    expect(tries.filter((tried) => tried.code === "VALIDATION").length).toBeLessThan(5);
    expect((await prisma.enrollmentLink.findUniqueOrThrow({ where: { id: link.id } })).usedAt).not.toBeNull();
    expect(await resolveEnrollmentLink({ prisma, token: link.token })).toEqual({ ok: false, reason: "used" });
    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password }, verifyPassword: counting }))).toMatchObject({ code: "FORBIDDEN" });
    expect(checks).toBeLessThanOrEqual(5);
  });
  it("a right password, or one that could not be checked, does not count toward the five", async () => {
    const { link, password } = await seed();
    for (let i = 0; i < 4; i += 1) expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password: "nope" }, verifyPassword }))).toMatchObject({ code: "VALIDATION" });
    // The user reloads the page and signs in again, several times; the primary is briefly unreachable.
    for (let i = 0; i < 6; i += 1) await startEnrollment({ prisma, token: link.token, input: { password }, verifyPassword });
    for (let i = 0; i < 3; i += 1) expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password }, verifyPassword: async () => "unavailable" }))).toMatchObject({ code: "UNAVAILABLE" });
    await startEnrollment({ prisma, token: link.token, input: { password }, verifyPassword });
    // The fifth wrong one is still the last.
    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password: "nope" }, verifyPassword }))).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Too many/) });
  });
  it("says the password cannot be checked when the user has no local password and no external verifier", async () => {
    const user = await prisma.user.create({ data: { username: `enroll-${randomUUID()}` }, select: { id: true } });
    const link = await createEnrollmentLink({ prisma, userId: user.id, createdBy: "test" });
    expect(await rejection(startEnrollment({ prisma, token: link.token, input: { password: "x" }, verifyPassword }))).toMatchObject({ code: "UNAVAILABLE" });
  });
});
