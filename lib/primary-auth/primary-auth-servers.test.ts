import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { decryptSecret } from "../secrets/envelope";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { deletePrimaryAuthServer, savePrimaryAuthServer } from "./manage-primary-auth-servers";
import { testPrimaryAuthServer } from "./test-primary-auth-server";

let actor: TActor;
let upstream: TFreeRadius;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `pas-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
  upstream = await startFreeRadius({ secret: "upstream-secret" });
});
afterAll(async () => {
  await upstream.stop();
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

describe("primary auth servers", () => {
  it("keeps the secret write-only and the test button reports accept, reject and silence exactly", async () => {
    const base = { name: `ise-${randomUUID().slice(0, 6)}`, kind: "radius", host: "127.0.0.1", port: String(upstream.authPort), timeoutMs: "500", retries: "0" };
    const { id } = await savePrimaryAuthServer({ prisma, actor, input: { ...base, secret: "upstream-secret" } });
    await savePrimaryAuthServer({ prisma, actor, id, input: { ...base, secret: "" } });
    const row = await prisma.primaryAuthServer.findUniqueOrThrow({ where: { id }, omit: { secret: false } });
    expect(decryptSecret(row.secret ?? "")).toBe("upstream-secret");

    expect(await testPrimaryAuthServer({ prisma, id, input: { username: "alice", password: "alice-pass" } })).toMatchObject({ ok: true, message: expect.stringMatching(/^Accepted/) });
    expect(await testPrimaryAuthServer({ prisma, id, input: { username: "alice", password: "wrong" } })).toMatchObject({ ok: true, message: expect.stringMatching(/^Rejected/) });
    await savePrimaryAuthServer({ prisma, actor, id, input: { ...base, secret: "not-the-secret" } });
    expect(await testPrimaryAuthServer({ prisma, id, input: { username: "alice", password: "alice-pass" } })).toMatchObject({ ok: false, message: expect.stringMatching(/^No answer/) });
    await deletePrimaryAuthServer({ prisma, actor, id });
  });

  it("refuses an LDAP server without a base DN and a RADIUS server without a secret, field by field", async () => {
    const ldap = await savePrimaryAuthServer({ prisma, actor, input: { name: "dc", kind: "ldap", host: "127.0.0.1", port: "389" } }).catch((error: unknown) => error);
    expect(AppError.is(ldap) && ldap.fieldErrors?.baseDn?.[0]).toMatch(/base DN/);
    const radius = await savePrimaryAuthServer({ prisma, actor, input: { name: "ise", kind: "radius", host: "127.0.0.1", port: "1812" } }).catch((error: unknown) => error);
    expect(AppError.is(radius) && radius.fieldErrors?.secret?.[0]).toMatch(/shared secret/);
  });
});
