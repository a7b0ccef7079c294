import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { AppError } from "../errors/app-error";
import { authenticateLocal } from "../primary-auth/local";
import { createEnrollmentLink } from "./create-enrollment-link";
import { startEnrollment } from "./start-enrollment";
import { createEnrollmentPasswordVerifier } from "./verify-enrollment-password";

const usernames: string[] = [];
afterAll(async () => {
  await prisma.user.deleteMany({ where: { username: { in: usernames } } });
  await disconnectPrisma();
});
const verifyPassword = createEnrollmentPasswordVerifier({ prisma });
const seed = async () => {
  const user = await prisma.user.create({ data: { username: `choose-${randomUUID()}`, passwordChoiceRequired: true } });
  usernames.push(user.username);
  const link = await createEnrollmentLink({ prisma, userId: user.id, createdBy: "test", baseUrl: "https://mfa.example" });
  return { user, link };
};
const codeOf = (error: unknown) => (AppError.is(error) ? { code: error.code, fieldErrors: error.fieldErrors } : error);

describe("enrollment when the user must choose the local password", () => {
  it("asks for a new password twice (rules of the local password), stores its hash and clears the flag", async () => {
    const { user, link } = await seed();
    const attempt = (input: Record<string, string>) => startEnrollment({ prisma, token: link.token, input, verifyPassword }).catch(codeOf);
    expect(await attempt({ password: "anything-at-all" })).toMatchObject({ code: "VALIDATION", fieldErrors: { newPassword: [expect.any(String)] } });
    expect(await attempt({ newPassword: "short", confirmPassword: "short" })).toMatchObject({ fieldErrors: { newPassword: ["Use at least 8 characters"] } });
    expect(await attempt({ newPassword: "long enough 1", confirmPassword: "long enough 2" })).toMatchObject({ fieldErrors: { confirmPassword: ["The two passwords differ"] } });
    expect(await attempt({ newPassword: "bell\u0007ringer", confirmPassword: "bell\u0007ringer" })).toMatchObject({ fieldErrors: { newPassword: ["Passwords cannot contain control characters"] } });
    expect(await attempt({ newPassword: "ü".repeat(65), confirmPassword: "ü".repeat(65) })).toMatchObject({ fieldErrors: { newPassword: [expect.stringContaining("128 bytes")] } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordChoiceRequired).toBe(true);

    const started = await startEnrollment({ prisma, token: link.token, input: { newPassword: "Chosen pässword 1", confirmPassword: "Chosen pässword 1" }, verifyPassword });
    expect(started.secretBase32).toMatch(/^[A-Z2-7]+$/);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordChoiceRequired).toBe(false);
    expect(await authenticateLocal({ prisma, username: user.username, password: "Chosen pässword 1" })).toMatchObject({ outcome: "accept" });
    // From now on the same link asks for that password, like any local user's.
    expect(await attempt({ password: "wrong password" })).toMatchObject({ code: "VALIDATION", fieldErrors: { password: ["That password is not correct"] } });
    expect(await startEnrollment({ prisma, token: link.token, input: { password: "Chosen pässword 1" }, verifyPassword })).toHaveProperty("authenticatorId");
  });

  it("lets exactly one of several concurrent choices win", async () => {
    const { user, link } = await seed();
    const choices = Array.from({ length: 6 }, (_, index) => `concurrent choice ${index}`);
    const results = await Promise.all(choices.map((choice) => startEnrollment({ prisma, token: link.token, input: { newPassword: choice, confirmPassword: choice }, verifyPassword }).then(() => choice, codeOf)));
    const winners = results.filter((result): result is string => typeof result === "string");
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => typeof result !== "string")).toEqual(Array(5).fill({ code: "CONFLICT", fieldErrors: undefined }));
    expect(await authenticateLocal({ prisma, username: user.username, password: winners[0] ?? "" })).toMatchObject({ outcome: "accept" });
  });
});
