import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { holdUserRow } from "../testing/hold-user-row";
import { unlockUser } from "./user-actions";

// Unlock lifts a lockout and resets the failure count, and nothing else: racing a disable (an admin, the CLI, a
// directory sync) it must never write back the status it saw before the disable committed.
let actor: TActor;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `unlock-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

const databaseUrl = process.env.DATABASE_URL ?? "";
const row = (id: string) => prisma.user.findUniqueOrThrow({ where: { id } });

describe("unlock", () => {
  it("an unlock racing a disable leaves the user disabled; the audit entry says what the unlock saw", async () => {
    const user = await prisma.user.create({ data: { username: `unlock-race-${randomUUID()}`, status: "locked_out", failedAttempts: 7, lockedAt: new Date() } });
    const disabling = await holdUserRow({ databaseUrl, id: user.id, change: (tx) => tx.user.update({ where: { id: user.id }, data: { status: "disabled" } }) });
    const unlocking = unlockUser({ prisma, actor, id: user.id });
    await disabling.waitUntilBlocking();
    await disabling.commit();
    const result = await unlocking;
    const after = await row(user.id);
    expect([after.status, after.failedAttempts]).toEqual(["disabled", 0]);
    expect(result).toEqual({ before: "disabled", after: "disabled" });
    const audit = await prisma.adminAuditEvent.findFirstOrThrow({ where: { targetId: user.id, action: "user.unlock" } });
    expect([audit.before, audit.after]).toMatchObject([{ status: "disabled" }, { status: "disabled" }]);
  });

  it("a user with failures but not locked out keeps their status (bypass) and loses the failures", async () => {
    const user = await prisma.user.create({ data: { username: `unlock-bypass-${randomUUID()}`, status: "bypass", failedAttempts: 3 } });
    expect(await unlockUser({ prisma, actor, id: user.id })).toEqual({ before: "bypass", after: "bypass" });
    const after = await row(user.id);
    expect([after.status, after.failedAttempts]).toEqual(["bypass", 0]);
  });

  it("a locked-out user is active again, failures and lock time cleared", async () => {
    const user = await prisma.user.create({ data: { username: `unlock-${randomUUID()}`, status: "locked_out", failedAttempts: 5, lockedAt: new Date() } });
    expect(await unlockUser({ prisma, actor, id: user.id })).toEqual({ before: "locked_out", after: "active" });
    const after = await row(user.id);
    expect([after.status, after.failedAttempts, after.lockedAt]).toEqual(["active", 0, null]);
  });
});
