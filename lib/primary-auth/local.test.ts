import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { authenticateLocal } from "./local";
import { setLocalPassword } from "./set-local-password";

const created: string[] = [];
afterAll(async () => {
  await prisma.user.deleteMany({ where: { id: { in: created } } });
  await prisma.group.deleteMany({ where: { name: { startsWith: "local-test-" } } });
  await disconnectPrisma();
});

const makeUser = async (password: string | null) => {
  const user = await prisma.user.create({ data: { username: `local-${randomUUID()}` } });
  created.push(user.id);
  if (password !== null) await setLocalPassword({ prisma, userId: user.id, password });
  return user;
};

describe("authenticateLocal", () => {
  it("accepts the right password (any bytes) and returns the user's groups", async () => {
    const password = "p,a\\ss wörd 🔑";
    const user = await makeUser(password);
    const group = await prisma.group.create({ data: { name: `local-test-${randomUUID()}`, members: { create: { userId: user.id } } } });
    const result = await authenticateLocal({ prisma, username: user.username, password: Buffer.from(password, "utf8") });
    expect(result).toMatchObject({ outcome: "accept", groups: [group.name] });
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("rejects a wrong password, an unknown user, a user without a local password and an empty password", async () => {
    const user = await makeUser("right-password");
    expect((await authenticateLocal({ prisma, username: user.username, password: "wrong" })).outcome).toBe("reject");
    expect((await authenticateLocal({ prisma, username: `nobody-${randomUUID()}`, password: "right-password" })).outcome).toBe("reject");
    const noPassword = await makeUser(null);
    expect((await authenticateLocal({ prisma, username: noPassword.username, password: "" })).outcome).toBe("reject");
    expect((await authenticateLocal({ prisma, username: user.username, password: "" })).outcome).toBe("reject");
  });

  it("clears a password with null and refuses an empty one", async () => {
    const user = await makeUser("first-password");
    await setLocalPassword({ prisma, userId: user.id, password: null });
    expect((await authenticateLocal({ prisma, username: user.username, password: "first-password" })).outcome).toBe("reject");
    await expect(setLocalPassword({ prisma, userId: user.id, password: "" })).rejects.toThrow(/empty/);
    await expect(setLocalPassword({ prisma, userId: randomUUID(), password: "x" })).rejects.toThrow(/not found/);
  });
});
