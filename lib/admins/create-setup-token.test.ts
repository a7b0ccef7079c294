import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { createSetupTokenIfNoAdmin } from "./create-setup-token";

// A database of its own: a setup link is issued only while no administrator exists.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
beforeAll(async () => {
  database = await createIsolatedDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("createSetupTokenIfNoAdmin", () => {
  it("keeps no new link, and revokes none, when the caller's audit step fails in the same transaction", async () => {
    const { prisma } = database;
    expect(await createSetupTokenIfNoAdmin({ prisma })).toBeDefined();
    const before = await prisma.setupToken.findMany({ select: { id: true, usedAt: true } });
    expect(before).toHaveLength(1);
    const failing = createSetupTokenIfNoAdmin({ prisma, onCreated: async () => Promise.reject(new Error("audit insert failed")) });
    await expect(failing).rejects.toThrow("audit insert failed");
    expect(await prisma.setupToken.findMany({ select: { id: true, usedAt: true } })).toEqual(before);
  });
});
