import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { holdUserRow } from "../testing/hold-user-row";
import { saveUser } from "./save-user";
import { setUserStatus } from "./set-user-status";

// A console save is the edit form as it was loaded, sent back later. Between the two a worker may lock the user out,
// the user may report a push as fraud, another admin may disable them: the save must not undo that unless the admin
// changed the status themselves, and then only from the status they saw.
let actor: TActor;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `save-user-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

const databaseUrl = process.env.DATABASE_URL ?? "";
const createUser = async () => {
  const username = `save-${randomUUID()}`;
  const { id } = await saveUser({ prisma, actor, input: { username, email: "", status: "active" } });
  return { id, username };
};
// What the edit form sends: every field, the status select, and the status it was opened with.
const form = (user: { username: string }, fields: { email?: string; status: string; loadedStatus: string }) => ({ username: user.username, displayName: "", email: "", ...fields });
const lockOut = (id: string) => prisma.user.update({ where: { id }, data: { status: "locked_out", failedAttempts: 5, lockedAt: new Date() } });
const row = (id: string) => prisma.user.findUniqueOrThrow({ where: { id } });
const statusError = (caught: unknown) => (AppError.is(caught) ? caught.fieldErrors?.status : caught);

describe("saving a user from the console", () => {
  it("a lockout landing after the form was loaded survives a save of the email: still locked out, the failure count kept", async () => {
    const user = await createUser();
    const opened = form(user, { status: "active", loadedStatus: "active" });
    await lockOut(user.id);
    await saveUser({ prisma, actor, id: user.id, input: { ...opened, email: "new@example.test" } });
    const after = await row(user.id);
    expect([after.email, after.status, after.failedAttempts, after.lockedAt === null]).toEqual(["new@example.test", "locked_out", 5, false]);
    const audit = await prisma.adminAuditEvent.findFirstOrThrow({ where: { targetId: user.id, action: "user.update" }, orderBy: { createdAt: "desc" } });
    expect(audit.after).toMatchObject({ email: "new@example.test", status: "locked_out" });
  });

  it("a disable by another admin while the form is open survives the save", async () => {
    const user = await createUser();
    const opened = form(user, { status: "active", loadedStatus: "active" });
    await setUserStatus({ prisma, actor, id: user.id, status: "disabled" });
    await saveUser({ prisma, actor, id: user.id, input: { ...opened, email: "x@example.test" } });
    expect((await row(user.id)).status).toBe("disabled");
  });

  it("changing the status the row no longer has is refused on the status field, and nothing is written", async () => {
    const user = await createUser();
    await lockOut(user.id);
    const caught = await saveUser({ prisma, actor, id: user.id, input: form(user, { email: "y@example.test", status: "bypass", loadedStatus: "active" }) }).catch((error: unknown) => error);
    expect(statusError(caught)).toEqual(["The user's status changed to locked out while you edited; reload"]);
    const after = await row(user.id);
    expect([after.email, after.status, after.failedAttempts]).toEqual([null, "locked_out", 5]);
  });

  it("a lockout committing while the save runs is seen under the row's lock: the change is refused, never written over it", async () => {
    const user = await createUser();
    const held = await holdUserRow({ databaseUrl, id: user.id, change: (tx) => tx.user.update({ where: { id: user.id }, data: { status: "locked_out", failedAttempts: 5, lockedAt: new Date() } }) });
    const saving = saveUser({ prisma, actor, id: user.id, input: form(user, { status: "bypass", loadedStatus: "active" }) }).catch((error: unknown) => error);
    await held.waitUntilBlocking();
    await held.commit();
    expect(statusError(await saving)).toEqual(["The user's status changed to locked out while you edited; reload"]);
    expect((await row(user.id)).status).toBe("locked_out");
  });

  it("a status the admin changes is saved: locked out → active clears the failures; active → disabled; the same choice twice is no conflict", async () => {
    const user = await createUser();
    await lockOut(user.id);
    await saveUser({ prisma, actor, id: user.id, input: form(user, { status: "active", loadedStatus: "locked_out" }) });
    const unlocked = await row(user.id);
    expect([unlocked.status, unlocked.failedAttempts, unlocked.lockedAt]).toEqual(["active", 0, null]);
    await saveUser({ prisma, actor, id: user.id, input: form(user, { status: "disabled", loadedStatus: "active" }) });
    expect((await row(user.id)).status).toBe("disabled");
    // A second admin making the same change from a form opened before the first saved.
    await saveUser({ prisma, actor, id: user.id, input: form(user, { status: "disabled", loadedStatus: "active" }) });
    expect((await row(user.id)).status).toBe("disabled");
  });

  it("a save without the loaded status (a form opened before it existed) changes no status: the same is kept, another refused", async () => {
    const user = await createUser();
    await lockOut(user.id);
    await saveUser({ prisma, actor, id: user.id, input: { username: user.username, email: "z@example.test", status: "locked_out" } });
    expect((await row(user.id)).email).toBe("z@example.test");
    const caught = await saveUser({ prisma, actor, id: user.id, input: { username: user.username, status: "active" } }).catch((error: unknown) => error);
    expect(statusError(caught)).toEqual(["The user's status is locked out; reload before changing it"]);
    await saveUser({ prisma, actor, id: user.id, input: { username: user.username } });
    expect((await row(user.id)).status).toBe("locked_out");
  });
});
