import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { hashBypassCode } from "../factors/hash-bypass-code";
import { holdRowLock } from "../testing/hold-row-lock";
import { claimFactorAttempt } from "./claim-factor-attempt";
import { autoUnlockUser } from "./record-factor-result";

afterAll(disconnectPrisma);

const seedUser = (data: { status?: "active" | "disabled" | "locked_out"; failedAttempts?: number; lockedAt?: Date } = {}) =>
  prisma.user.create({ data: { username: `claim-${randomUUID()}`, ...data }, select: { id: true } });

const claimAll = (userId: string, lockoutThreshold: number, n: number) => Promise.all(Array.from({ length: n }, () => claimFactorAttempt({ prisma, userId, lockoutThreshold })));

describe("claimFactorAttempt", () => {
  it("30 concurrent claims with threshold 5: exactly attempts 1–5 granted, the rest locked_out", async () => {
    const { id } = await seedUser();
    const claims = await claimAll(id, 5, 30);
    const attempts = claims.flatMap((claim) => (claim.ok ? [claim.attempt] : [])).sort((a, b) => a - b);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(claims.filter((claim) => !claim.ok && claim.reason === "locked_out")).toHaveLength(25);
  });

  it("threshold 0 (lockout off): no claim is refused", async () => {
    const { id } = await seedUser({ failedAttempts: 100 });
    const claims = await claimAll(id, 0, 30);
    expect(claims.every((claim) => claim.ok)).toBe(true);
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).failedAttempts).toBe(130);
  });

  it("refuses a disabled, locked or deleted user without counting", async () => {
    const disabled = await seedUser({ status: "disabled" });
    const locked = await seedUser({ status: "locked_out", lockedAt: new Date() });
    expect(await claimFactorAttempt({ prisma, userId: disabled.id, lockoutThreshold: 10 })).toEqual({ ok: false, reason: "user_disabled" });
    expect(await claimFactorAttempt({ prisma, userId: locked.id, lockoutThreshold: 10 })).toEqual({ ok: false, reason: "locked_out" });
    expect(await claimFactorAttempt({ prisma, userId: randomUUID(), lockoutThreshold: 10 })).toEqual({ ok: false, reason: "user_disabled" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: locked.id } })).failedAttempts).toBe(0);
  });
});

describe("autoUnlockUser", () => {
  it("lifts only a lock older than the policy's minutes, so a stale caller cannot undo a fresh lock", async () => {
    const now = new Date();
    const fresh = await seedUser({ status: "locked_out", failedAttempts: 5, lockedAt: new Date(now.getTime() - 60_000) });
    const old = await seedUser({ status: "locked_out", failedAttempts: 5, lockedAt: new Date(now.getTime() - 6 * 60_000) });
    for (const user of [fresh, old]) await autoUnlockUser({ prisma, userId: user.id, policy: { autoUnlockMinutes: 5 }, now });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: fresh.id }, select: { status: true, failedAttempts: true } })).toEqual({ status: "locked_out", failedAttempts: 5 });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: old.id }, select: { status: true, failedAttempts: true, lockedAt: true } })).toEqual({ status: "active", failedAttempts: 0, lockedAt: null });
  });
});

// The passcode path's one statement: claim, replay guard, consumption and the user re-check together.
describe("claimFactorAttempt with something to spend", () => {
  const seedTotpUser = async () => {
    const { id } = await seedUser();
    const authenticator = await prisma.authenticator.create({ data: { userId: id, kind: "totp", secret: "v1:unused", active: true }, select: { id: true } });
    return { userId: id, authenticatorId: authenticator.id };
  };
  const otp = (authenticatorId: string, step: number) => ({ kind: "otp" as const, match: { authenticatorId, kind: "totp" as const, step, next: step } });

  it("8 concurrent claims of one TOTP step: one spends it, the other 7 are replays counted as failures", async () => {
    const { userId, authenticatorId } = await seedTotpUser();
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimFactorAttempt({ prisma, userId, lockoutThreshold: 10, spend: otp(authenticatorId, 1000) })));
    expect(claims.filter((claim) => claim.ok && claim.spent)).toHaveLength(1);
    expect(claims.flatMap((claim) => (claim.ok && !claim.spent ? [claim.attempt] : [])).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: authenticatorId } })).lastUsedStep).toBe(1000n);
    // An older step after a newer one: a replay too.
    expect(await claimFactorAttempt({ prisma, userId, lockoutThreshold: 10, spend: otp(authenticatorId, 999) })).toEqual({ ok: true, attempt: 8, spent: false });
    // At the threshold even a fresh step is refused, and stays unspent.
    expect(await claimFactorAttempt({ prisma, userId, lockoutThreshold: 8, spend: otp(authenticatorId, 1001) })).toEqual({ ok: false, reason: "locked_out" });
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: authenticatorId } })).lastUsedStep).toBe(1000n);
    expect(await claimFactorAttempt({ prisma, userId, lockoutThreshold: 10, spend: otp(authenticatorId, 1001) })).toEqual({ ok: true, attempt: 0, spent: true });
  });

  it("a user disabled while the claim waits for the authenticator's lock is refused, the step unspent and nothing counted", async () => {
    const { userId, authenticatorId } = await seedTotpUser();
    const lock = await holdRowLock({ databaseUrl: process.env.DATABASE_URL ?? "", table: "Authenticator", id: authenticatorId });
    const claim = claimFactorAttempt({ prisma, userId, lockoutThreshold: 10, spend: otp(authenticatorId, 77) });
    try {
      expect(await lock.waitUntilBlocking()).toBe(true);
      // Not blocked by the waiting claim: it holds no lock on the user's row yet.
      await prisma.user.update({ where: { id: userId }, data: { status: "disabled" } });
    } finally {
      await lock.release();
    }
    expect(await claim).toEqual({ ok: false, reason: "user_disabled" });
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: authenticatorId } })).lastUsedStep).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).failedAttempts).toBe(0);
  });

  it("the last use of a bypass code, claimed 6 times at once, is spent once", async () => {
    const { id: userId } = await seedUser();
    const codeHash = hashBypassCode("123412341234");
    await prisma.bypassCode.create({ data: { userId, codeHash, remainingUses: 1, createdBy: "test" } });
    const claims = await Promise.all(Array.from({ length: 6 }, () => claimFactorAttempt({ prisma, userId, lockoutThreshold: 10, spend: { kind: "bypass", codeHash } })));
    expect(claims.filter((claim) => claim.ok && claim.spent)).toHaveLength(1);
    expect((await prisma.bypassCode.findFirstOrThrow({ where: { userId } })).remainingUses).toBe(0);
  });
});
