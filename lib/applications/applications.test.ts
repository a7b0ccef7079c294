import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { decryptSecret } from "../secrets/envelope";
import type { TActor } from "../auth/types";
import { createApplication } from "./create-application";
import { rotateApplicationSkey } from "./rotate-application-skey";
import { deleteApplication } from "./delete-application";
import { buildAsaSnippet } from "./build-asa-snippet";
import { AppError } from "../errors/app-error";

let actor: TActor;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `app-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

const input = (name: string) => ({ name, kind: "radius", primaryAuthMode: "radius", factorEntry: "both", appendDelimiter: ",", passThroughAll: "on", passThroughAttrs: "Class\nCisco-AVPair" });

describe("applications", () => {
  it("creates keys in the documented shapes, stores the skey encrypted, and rotation replaces it", async () => {
    const created = await createApplication({ prisma, actor, input: input(`vpn-${randomUUID()}`) });
    expect(created.ikey).toMatch(/^[A-Z0-9]{20}$/);
    expect(created.skey).toMatch(/^[A-Za-z0-9]{40}$/);
    const row = await prisma.application.findUniqueOrThrow({ where: { id: created.id }, omit: { skey: false } });
    expect(row.skey).not.toContain(created.skey);
    expect(decryptSecret(row.skey)).toBe(created.skey);
    expect(row.passThroughAttrs).toEqual(["Class", "Cisco-AVPair"]);

    const rotated = await rotateApplicationSkey({ prisma, actor, id: created.id });
    expect(rotated.skey).not.toBe(created.skey);
    const after = await prisma.application.findUniqueOrThrow({ where: { id: created.id }, omit: { skey: false } });
    expect(decryptSecret(after.skey)).toBe(rotated.skey);
    const audit = await prisma.adminAuditEvent.findMany({ where: { targetId: created.id } });
    expect(JSON.stringify(audit.map((event) => [event.before, event.after]))).not.toContain(created.skey);
    await deleteApplication({ prisma, actor, id: created.id });
  });

  it("rejects an empty delimiter with a field error and saves nothing", async () => {
    const name = `vpn-${randomUUID()}`;
    const error = await createApplication({ prisma, actor, input: { ...input(name), appendDelimiter: "" } }).catch((caught: unknown) => caught);
    expect(AppError.is(error) && error.fieldErrors?.appendDelimiter?.[0]).toMatch(/delimiter/);
    expect(await prisma.application.count({ where: { name } })).toBe(0);
  });

  it("builds the ASA snippet with one host block per worker address", () => {
    const snippet = buildAsaSnippet({ applicationName: "AnyConnect VPN", workerAddresses: ["10.0.0.5", "10.0.0.6"] });
    expect(snippet).toContain("aaa-server TWOFOLD-ANYCONNECT-VPN protocol radius");
    expect(snippet.match(/aaa-server TWOFOLD-ANYCONNECT-VPN \(inside\) host 10\.0\.0\.[56]/g)).toHaveLength(2);
    expect(snippet.match(/ timeout 60/g)).toHaveLength(2);
    expect(snippet.match(/ no mschapv2-capable/g)).toHaveLength(2);
    expect(snippet).toContain("authentication-port 1812");
    expect(snippet).toContain("tunnel-group AnyConnect-Group general-attributes\n authentication-server-group TWOFOLD-ANYCONNECT-VPN");
  });
});
