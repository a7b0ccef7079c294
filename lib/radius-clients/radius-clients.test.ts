import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { AppError } from "../errors/app-error";
import { decryptSecret } from "../secrets/envelope";
import type { TActor } from "../auth/types";
import { createRadiusClient } from "./create-radius-client";
import { deleteRadiusClient } from "./delete-radius-client";
import { updateRadiusClient } from "./update-radius-client";

let actor: TActor;

const fieldErrorsOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(AppError.is(error)).toBe(true);
  return (error as AppError).fieldErrors ?? {};
};

beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `rc-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});

afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

describe("RADIUS clients", () => {
  it("creates with an encrypted secret, updates keeping the secret, deletes, auditing each step", async () => {
    const name = `asa-${randomUUID()}`;
    const { id } = await createRadiusClient({ prisma, actor, input: { name, address: " 10.9.0.0/24 ", secret: "sup3r-secret", requireMessageAuthenticator: "false" } });
    const row = await prisma.radiusClient.findUniqueOrThrow({ where: { id }, omit: { secret: false } });
    expect(row.address).toBe("10.9.0.0/24");
    expect(row.secret).not.toContain("sup3r-secret");
    expect(decryptSecret(row.secret)).toBe("sup3r-secret");
    expect(row.requireMessageAuthenticator).toBe(false);
    expect(row.coaPort).toBe(1700); // Cisco's default dynamic-authorization port

    await expect(updateRadiusClient({ prisma, actor, id, input: { name, address: "2001:db8::/32", secret: "", coaPort: "70000" } })).rejects.toThrow();
    await updateRadiusClient({ prisma, actor, id, input: { name, address: "2001:db8::/32", secret: "", coaPort: "3799" } });
    expect((await prisma.radiusClient.findUniqueOrThrow({ where: { id } })).coaPort).toBe(3799);
    await updateRadiusClient({ prisma, actor, id, input: { name, address: "2001:db8::/32", secret: "" } });
    const updated = await prisma.radiusClient.findUniqueOrThrow({ where: { id }, omit: { secret: false } });
    expect(updated.address).toBe("2001:db8::/32");
    expect(decryptSecret(updated.secret)).toBe("sup3r-secret");
    expect(updated.requireMessageAuthenticator).toBe(true);

    await deleteRadiusClient({ prisma, actor, id });
    expect(await prisma.radiusClient.findUnique({ where: { id } })).toBeNull();
    const audit = await prisma.adminAuditEvent.findMany({ where: { targetId: id }, orderBy: { id: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["radius_client.create", "radius_client.update", "radius_client.update", "radius_client.delete"]);
    expect(JSON.stringify(audit.map((event) => [event.before, event.after]))).not.toContain("sup3r-secret");
  });

  it("rejects a bad address, a short secret and a duplicate name with field errors, saving nothing", async () => {
    const name = `asa-${randomUUID()}`;
    const errors = await fieldErrorsOf(createRadiusClient({ prisma, actor, input: { name, address: "10.0.0.1/24", secret: "short" } }));
    expect(errors.address?.[0]).toMatch(/Host bits are set/);
    expect(errors.secret?.[0]).toMatch(/at least 8/);
    expect(await prisma.radiusClient.count({ where: { name } })).toBe(0);

    const { id } = await createRadiusClient({ prisma, actor, input: { name, address: "192.0.2.1", secret: "long-enough" } });
    const duplicate = await fieldErrorsOf(createRadiusClient({ prisma, actor, input: { name, address: "192.0.2.2", secret: "long-enough" } }));
    expect(duplicate.name?.[0]).toMatch(/already exists/);
    await deleteRadiusClient({ prisma, actor, id });
  });

  it("refuses a second client with the same prefix, however spelled, even when two are saved at once", async () => {
    const octet = () => Math.floor(Math.random() * 250) + 1;
    const ip = `198.18.${octet()}.${octet()}`;
    const make = (name: string, address: string) => createRadiusClient({ prisma, actor, input: { name: `${name}-${randomUUID()}`, address, secret: "long-enough" } });
    const results = await Promise.allSettled([make("a", ip), make("b", `${ip}/32`), make("c", ` ${ip} `)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result): result is PromiseRejectedResult => result.status === "rejected")?.reason;
    expect(AppError.is(refused) && refused.fieldErrors?.address?.[0]).toMatch(/already has/);
    // An overlapping but different prefix is a legitimate setup (the most specific wins): allowed.
    const wider = await make("wide", `${ip.split(".").slice(0, 3).join(".")}.0/24`);
    const other = await make("other", `198.19.${octet()}.${octet()}`);
    const moved = await fieldErrorsOf(updateRadiusClient({ prisma, actor, id: other.id, input: { name: `moved-${randomUUID()}`, address: ip, secret: "" } }));
    expect(moved.address?.[0]).toMatch(/already has/);
    for (const id of [wider.id, other.id, ...results.flatMap((result) => (result.status === "fulfilled" ? [result.value.id] : []))]) await deleteRadiusClient({ prisma, actor, id });
  });
});
