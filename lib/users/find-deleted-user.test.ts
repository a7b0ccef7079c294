import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { findDeletedUser } from "./find-deleted-user";
import { deleteUser } from "./user-actions";

let actor: TActor;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `del-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

it("names a deleted user from the audit of the deletion; a user never seen is not found; the log keeps the user's id", async () => {
  const username = `gone-${randomUUID().slice(0, 8)}`;
  const user = await prisma.user.create({ data: { username } });
  await prisma.authEvent.create({ data: { eventId: randomUUID(), usernameRaw: username, username, userId: user.id, result: "success", reason: "valid_passcode", workerId: "test" } });
  expect(await findDeletedUser({ prisma, id: user.id })).toBeUndefined();
  await deleteUser({ prisma, actor, id: user.id });
  expect(await findDeletedUser({ prisma, id: user.id })).toMatchObject({ username, deletedBy: actor.email, deletedAt: expect.any(Date) });
  expect(await findDeletedUser({ prisma, id: randomUUID() })).toBeUndefined();
  // No foreign key rewrote the event: it still names the account it was decided for.
  expect((await prisma.authEvent.findFirst({ where: { username } }))?.userId).toBe(user.id);
});
