import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
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
