import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { AppError } from "../errors/app-error";
import { enrollPushDevice } from "../push/enroll-push-device";
import { createTestDevice } from "../push/test-device";
import { encryptSecret } from "../secrets/envelope";
import { issueEnrollmentLink } from "../users/issue-enrollment-link";
import { holdRowLock } from "../testing/hold-row-lock";
import { completeEnrollment } from "./complete-enrollment";
import { createEnrollmentLink } from "./create-enrollment-link";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "./resolve-enrollment-link";
import { startEnrollment } from "./start-enrollment";

afterAll(disconnectPrisma);

// A login's enrollment link is given after the password alone, so it may enroll only a user's first factor: with one
// already active it would let whoever has the password add a factor of their own. An admin's or helpdesk's link may add
// a device. Both are checked where a link is made, where it is opened and in the transaction that activates the factor.
const verifyPassword = async () => true as const;
const newUser = () => prisma.user.create({ data: { username: `first-factor-${randomUUID()}` }, select: { id: true } });
const addTotp = (userId: string) => prisma.authenticator.create({ data: { userId, kind: "totp", name: "Phone", secret: encryptSecret(new Secret({ size: 20 }).base32), active: true }, select: { id: true } });
const loginLink = (userId: string) => createEnrollmentLink({ prisma, userId, createdBy: "radius", baseUrl: "https://mfa.example" });
const activeCount = (userId: string) => prisma.authenticator.count({ where: { userId, active: true } });
const codeOf = (error: unknown) => (error instanceof AppError ? error.code : String(error));
const begin = async (token: string) => {
  const started = await startEnrollment({ prisma, token, input: { password: "pw" }, verifyPassword });
  return { ...started, code: TOTP.generate({ secret: Secret.fromBase32(started.secretBase32) }) };
};

describe("a first-factor (login) enrollment link", () => {
  it("is not made for a user who already has an active authenticator", async () => {
    const user = await newUser();
    await addTotp(user.id);
    await expect(loginLink(user.id)).rejects.toMatchObject({ code: "CONFLICT", message: ENROLLMENT_LINK_PROBLEMS.enrolled });
    expect(await prisma.enrollmentLink.count({ where: { userId: user.id } })).toBe(0);
  });

  it("made before the user enrolled elsewhere, is refused when opened, at the password step and by the push enrollment", async () => {
    const user = await newUser();
    const link = await loginLink(user.id);
    expect(await resolveEnrollmentLink({ prisma, token: link.token })).toMatchObject({ ok: true });
    await addTotp(user.id);
    expect(await resolveEnrollmentLink({ prisma, token: link.token })).toEqual({ ok: false, reason: "enrolled" });
    await expect(startEnrollment({ prisma, token: link.token, input: { password: "pw" }, verifyPassword })).rejects.toMatchObject({ code: "FORBIDDEN", message: ENROLLMENT_LINK_PROBLEMS.enrolled });
    const device = await createTestDevice();
    await expect(enrollPushDevice({ prisma, token: link.token, input: { password: "pw", name: "Attacker", publicKeyJwk: device.publicKeyJwk }, verifyPassword })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await activeCount(user.id)).toBe(1);
    expect((await prisma.enrollmentLink.findUniqueOrThrow({ where: { id: link.id } })).usedAt).toBeNull();
  });

  it("is refused in the activating transaction when another factor was enrolled meanwhile; the new one stays inactive", async () => {
    const user = await newUser();
    const link = await loginLink(user.id);
    const started = await begin(link.token);
    // Completion parked on the new authenticator's row, past its first checks, while another factor lands.
    const lock = await holdRowLock({ databaseUrl: process.env.DATABASE_URL ?? "", table: "Authenticator", id: started.authenticatorId });
    const completing = completeEnrollment({ prisma, token: link.token, input: { authenticatorId: started.authenticatorId, code: started.code } }).then(() => "completed", codeOf);
    try {
      expect(await lock.waitUntilBlocking()).toBe(true);
      await addTotp(user.id);
    } finally {
      await lock.release();
    }
    expect(await completing).toBe("FORBIDDEN");
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: started.authenticatorId } })).active).toBe(false);
    expect(await activeCount(user.id)).toBe(1);
  });

  it("two first-factor links completed at once (a passcode app and a phone) enroll one factor, not two", async () => {
    const user = await newUser();
    const [one, two] = [await loginLink(user.id), await loginLink(user.id)];
    const totp = await begin(one.token);
    const device = await createTestDevice();
    const results = await Promise.all([
      completeEnrollment({ prisma, token: one.token, input: { authenticatorId: totp.authenticatorId, code: totp.code } }).then(() => "completed", codeOf),
      enrollPushDevice({ prisma, token: two.token, input: { password: "pw", name: "Phone", publicKeyJwk: device.publicKeyJwk }, verifyPassword }).then(() => "completed", codeOf),
    ]);
    expect(results.sort()).toEqual(["FORBIDDEN", "completed"]);
    expect(await activeCount(user.id)).toBe(1);
  });
});

describe("an admin's or helpdesk's enrollment link", () => {
  it("adds a device for a user who already has one (the console's 'Issue enrollment link')", async () => {
    const user = await newUser();
    await addTotp(user.id);
    const link = await issueEnrollmentLink({ prisma, actor: { email: "helpdesk@example.test" }, userId: user.id });
    expect(await resolveEnrollmentLink({ prisma, token: link.token })).toMatchObject({ ok: true });
    const started = await begin(link.token);
    await completeEnrollment({ prisma, token: link.token, input: { authenticatorId: started.authenticatorId, code: started.code } });
    expect(await activeCount(user.id)).toBe(2);
  });
});
