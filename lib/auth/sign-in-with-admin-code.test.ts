import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { hashToken } from "../crypto/tokens";
import { AppError } from "../errors/app-error";
import { createLogger } from "../log/create-logger";
import { encryptSecret } from "../secrets/envelope";
import { resetAdminTotp } from "../admins/reset-admin-totp";
import { beginAdminTotpEnrollment, confirmAdminTotpEnrollment } from "./admin-totp-enrollment";
import { SIGN_IN_MAX_FAILURES } from "./claim-sign-in-attempt";
import { createAdminSession } from "./create-admin-session";
import { signInWithAdminCode } from "./sign-in-with-admin-code";
import { throttleSignInStep } from "./throttle-sign-in-step";

const tag = randomUUID().slice(0, 8);
const created: string[] = [];
afterAll(async () => {
  await prisma.admin.deleteMany({ where: { id: { in: created } } });
  await prisma.$executeRaw`DELETE FROM "SignInThrottle" WHERE "key" LIKE ${`%${tag}%`} OR "key" = ANY(${created.map((id) => `code:${id}`)}::text[])`;
  await disconnectPrisma();
});

// Mid-step, so a code's own step and the ±1 window are exact whatever the wall clock says.
const STEP_MS = 30_000;
// One base step for the whole file: read from the clock at each call, at(0) and at(1) straddling a step boundary would
// be two steps apart, and a code still in its window would look merely wrong.
const BASE_STEP = Math.floor(Date.now() / STEP_MS);
const at = (steps: number) => new Date((BASE_STEP + steps) * STEP_MS + STEP_MS / 2);
const codeAt = (secret: string, now: Date) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now.getTime() });

const newAdmin = async (options: { totp: boolean }) => {
  const secret = new Secret({ size: 20 }).base32;
  const admin = await prisma.admin.create({
    data: { email: `code-${randomUUID()}@example.test`, passwordHash: "x", role: "owner", ...(options.totp ? { totpEnabled: true, totpSecret: encryptSecret(secret) } : {}) },
  });
  created.push(admin.id);
  return { adminId: admin.id, email: admin.email, secret };
};

const captured = () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ name: "console", level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { lines, logger };
};

// What the browser is told: the same for a replay as for a wrong code.
const answer = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => (AppError.is(error) ? `${error.code}: ${error.message} / ${error.fieldErrors?.code?.join() ?? ""}` : String(error)),
  );
const WRONG = "VALIDATION: That code did not match / That code did not match";

describe("console sign-in code replay guard", () => {
  it("a code accepted once is refused the second time, from any browser, answered as a wrong code and logged as a replay", async () => {
    const { adminId, secret } = await newAdmin({ totp: true });
    const { lines, logger } = captured();
    const now = at(0);
    const code = codeAt(secret, now);
    expect(await answer(signInWithAdminCode({ prisma, adminId, code, ip: "192.0.2.1", now, logger }))).toBe("ok");
    expect(await answer(signInWithAdminCode({ prisma, adminId, code, ip: "198.51.100.7", now, logger }))).toBe(WRONG);
    // Still refused later in its window (the server's clock a step on), where a guard kept in memory for one step would not be.
    expect(await answer(signInWithAdminCode({ prisma, adminId, code, now: at(1), logger }))).toBe(WRONG);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await answer(signInWithAdminCode({ prisma, adminId, code: wrong, now, logger }))).toBe(WRONG);

    expect(await prisma.adminSession.count({ where: { adminId } })).toBe(1);
    expect(lines.filter((line) => line.reason === "admin_totp_replayed")).toEqual([
      expect.objectContaining({ adminId, ip: "198.51.100.7", step: Math.floor(now.getTime() / STEP_MS), level: 40 }),
      expect.objectContaining({ adminId }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(code);
  });

  it("10 concurrent uses of one code: exactly one session", async () => {
    const { adminId, secret } = await newAdmin({ totp: true });
    const { logger } = captured();
    const now = at(0);
    const code = codeAt(secret, now);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => answer(signInWithAdminCode({ prisma, adminId, code, ip: `203.0.113.${index}`, now, logger }))));
    expect(answers.filter((result) => result === "ok")).toHaveLength(1);
    expect(answers.filter((result) => result === WRONG)).toHaveLength(9);
    expect(await prisma.adminSession.count({ where: { adminId } })).toBe(1);
  });

  it("the next step's code still works; an older step's code, still in the window, does not", async () => {
    const { adminId, secret } = await newAdmin({ totp: true });
    const { logger } = captured();
    expect(await answer(signInWithAdminCode({ prisma, adminId, code: codeAt(secret, at(0)), now: at(0), logger }))).toBe("ok");
    expect(await answer(signInWithAdminCode({ prisma, adminId, code: codeAt(secret, at(1)), now: at(1), logger }))).toBe("ok");
    // A phone one step ahead: its code is accepted, and the current step's code, now behind the spent one, is not.
    expect(await answer(signInWithAdminCode({ prisma, adminId, code: codeAt(secret, at(3)), now: at(2), logger }))).toBe("ok");
    expect(await answer(signInWithAdminCode({ prisma, adminId, code: codeAt(secret, at(2)), now: at(2), logger }))).toBe(WRONG);
    expect(await prisma.adminSession.count({ where: { adminId } })).toBe(3);
  });

  it("a replay counts against the sign-in throttle as a failure", async () => {
    const { adminId, secret } = await newAdmin({ totp: true });
    const { logger } = captured();
    const now = at(0);
    const code = codeAt(secret, now);
    const step = (ip: string) =>
      answer(throttleSignInStep({ prisma, account: { step: "code", adminId }, source: { ip }, now, run: () => signInWithAdminCode({ prisma, adminId, code, ip, now, logger }) }));
    expect(await step(`192.0.2.${tag}`)).toBe("ok");
    for (let index = 0; index < SIGN_IN_MAX_FAILURES; index += 1) expect(await step(`198.51.100.${tag}`)).toBe(WRONG);
    expect(await step(`198.51.100.${tag}`)).toMatch(/^RATE_LIMITED/);
  });

  it("the code that confirmed enrollment cannot then sign in, and a reset clears the spent step", async () => {
    const { adminId, email } = await newAdmin({ totp: false });
    const { logger } = captured();
    const { secret } = await beginAdminTotpEnrollment({ prisma, adminId });
    const now = at(0);
    const code = codeAt(secret, now);
    const sessionIds = await Promise.all(
      [0, 1].map(async () => {
        const { token } = await createAdminSession({ prisma, adminId, mfaVerified: false });
        return (await prisma.adminSession.findUniqueOrThrow({ where: { tokenHash: hashToken(token) }, select: { id: true } })).id;
      }),
    );
    // Two browsers confirming with the same code at once: exactly one enables (the other is refused, as a wrong code or
    // as already enabled, depending on when it read the row).
    const confirmations = await Promise.all(sessionIds.map((sessionId) => answer(confirmAdminTotpEnrollment({ prisma, adminId, sessionId, code, now }))));
    expect(confirmations.filter((result) => result === "ok")).toHaveLength(1);
    expect(await prisma.adminAuditEvent.count({ where: { action: "admin.totp_enabled", targetId: adminId } })).toBe(1);

    expect(await answer(signInWithAdminCode({ prisma, adminId, code, now, logger }))).toBe(WRONG);
    expect(await answer(signInWithAdminCode({ prisma, adminId, code: codeAt(secret, at(1)), now: at(1), logger }))).toBe("ok");
    expect(await prisma.admin.findUniqueOrThrow({ where: { id: adminId }, select: { totpLastStep: true } })).toEqual({ totpLastStep: Math.floor(at(1).getTime() / STEP_MS) });

    await resetAdminTotp({ prisma, actor: { email: "cli" }, email });
    expect(await prisma.admin.findUniqueOrThrow({ where: { id: adminId }, select: { totpEnabled: true, totpLastStep: true } })).toEqual({ totpEnabled: false, totpLastStep: null });
  });
});
