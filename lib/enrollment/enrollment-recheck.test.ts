import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { AppError } from "../errors/app-error";
import { holdRowLock } from "../testing/hold-row-lock";
import { completeEnrollment } from "./complete-enrollment";
import { createEnrollmentLink } from "./create-enrollment-link";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "./resolve-enrollment-link";
import { startEnrollment } from "./start-enrollment";

afterAll(disconnectPrisma);

// What the activating transaction must see: the user still enabled, the link still unused and unexpired. Each change
// lands while completion is provably parked on the authenticator row (after its first checks, before it commits).
const started = async () => {
  const user = await prisma.user.create({ data: { username: `recheck-enroll-${randomUUID()}` }, select: { id: true } });
  const link = await createEnrollmentLink({ prisma, userId: user.id, createdBy: "test", baseUrl: "https://mfa.example" });
  const enrollment = await startEnrollment({ prisma, token: link.token, input: { password: "pw" }, verifyPassword: async () => true });
  const code = TOTP.generate({ secret: Secret.fromBase32(enrollment.secretBase32) });
  return { userId: user.id, linkId: link.id, token: link.token, authenticatorId: enrollment.authenticatorId, code };
};

const completeWhile = async (enrollment: Awaited<ReturnType<typeof started>>, change: () => Promise<unknown>) => {
  const url = process.env.DATABASE_URL ?? "";
  const lock = await holdRowLock({ databaseUrl: url, table: "Authenticator", id: enrollment.authenticatorId });
  const completing = completeEnrollment({ prisma, token: enrollment.token, input: { authenticatorId: enrollment.authenticatorId, code: enrollment.code } }).then(
    () => "completed",
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );
  try {
    expect(await lock.waitUntilBlocking()).toBe(true);
    await change();
  } finally {
    await lock.release();
  }
  return completing;
};

const active = async (id: string) => (await prisma.authenticator.findUniqueOrThrow({ where: { id } })).active;

describe("enrollment completion re-checks in the activating transaction", () => {
  it("a user disabled meanwhile is refused and the authenticator stays inactive", async () => {
    const enrollment = await started();
    expect(await completeWhile(enrollment, () => prisma.user.update({ where: { id: enrollment.userId }, data: { status: "disabled" } }))).toBe("FORBIDDEN");
    expect(await active(enrollment.authenticatorId)).toBe(false);
  });

  // The lock as the lockout claim, a fraud report or the helpdesk leave it: status locked_out (lockedAt starts the
  // auto-unlock clock, lifted by the next sign-in, not by enrolling).
  it("a user locked out meanwhile is refused and the authenticator stays inactive", async () => {
    const enrollment = await started();
    const lock = () => prisma.user.update({ where: { id: enrollment.userId }, data: { status: "locked_out", lockedAt: new Date(), failedAttempts: 5 } });
    expect(await completeWhile(enrollment, lock)).toBe("FORBIDDEN");
    expect(await active(enrollment.authenticatorId)).toBe(false);
    expect(await prisma.enrollmentLink.findUniqueOrThrow({ where: { id: enrollment.linkId }, select: { usedAt: true } })).toEqual({ usedAt: null });
  });

  it("a locked-out user's link is refused when opened and at the password step, with the reason", async () => {
    const user = await prisma.user.create({ data: { username: `recheck-locked-${randomUUID()}`, status: "locked_out", lockedAt: new Date() }, select: { id: true } });
    const link = await createEnrollmentLink({ prisma, userId: user.id, createdBy: "test", baseUrl: "https://mfa.example" });
    expect(await resolveEnrollmentLink({ prisma, token: link.token })).toEqual({ ok: false, reason: "locked" });
    const checked: string[] = [];
    const starting = startEnrollment({ prisma, token: link.token, input: { password: "pw" }, verifyPassword: async ({ password }) => {
      checked.push(password);
      return true;
    } });
    await expect(starting).rejects.toThrow(ENROLLMENT_LINK_PROBLEMS.locked);
    expect(checked).toEqual([]);
  });

  it("a link spent meanwhile (another device enrolled with it) is refused", async () => {
    const enrollment = await started();
    expect(await completeWhile(enrollment, () => prisma.enrollmentLink.update({ where: { id: enrollment.linkId }, data: { usedAt: new Date() } }))).toBe("FORBIDDEN");
    expect(await active(enrollment.authenticatorId)).toBe(false);
  });

  it("a link that expired meanwhile is refused", async () => {
    const enrollment = await started();
    expect(await completeWhile(enrollment, () => prisma.enrollmentLink.update({ where: { id: enrollment.linkId }, data: { expiresAt: new Date(Date.now() - 3_600_000) } }))).toBe("FORBIDDEN");
    expect(await active(enrollment.authenticatorId)).toBe(false);
  });
});
