import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "../lib/secrets/envelope";
import { radclient } from "../lib/testing/radclient";
import { startSlapd, type TSlapd } from "../lib/testing/slapd";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

const SECRET = "ldap-nas-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let slapd: TSlapd;
let applicationId: string;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  slapd = await startSlapd();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "ldap" });
  applicationId = application.id;
  await db.prisma.policy.update({ where: { applicationId }, data: { usernameNormalization: "strip_domain" } });
  await db.prisma.primaryAuthServer.create({
    data: {
      name: "slapd",
      kind: "ldap",
      applicationId,
      host: "127.0.0.1",
      port: slapd.port,
      secret: encryptSecret(slapd.bindPassword),
      bindDn: slapd.bindDn,
      baseDn: slapd.baseDn,
      userFilter: "(uid={username})",
      timeoutMs: 3000,
    },
  });
  // Directory groups drive both the permitted-group check and the ASA group policy (Class).
  const engineering = await db.prisma.group.create({ data: { name: "engineering" } });
  await db.prisma.applicationGroup.create({ data: { applicationId, groupId: engineering.id } });
  await db.prisma.applicationGroupMapping.create({ data: { applicationId, directoryGroup: "engineering", classValue: "Engineering-GP", position: 1 } });
  await seedClient({ prisma: db.prisma, applicationId, secret: SECRET });
  worker = await startTestWorker({ databaseUrl: db.url });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await slapd?.stop();
  await db?.drop();
});

describe("worker with LDAP primary authentication (slapd)", () => {
  it("binds as the user, normalizes DOMAIN\\user, enforces permitted directory groups and maps the group to Class", async () => {
    const accept = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "TWOFOLD\\alice", "User-Password": slapd.users.alice.password }, timeoutSec: 5 });
    expect(accept.code, accept.stdout).toBe("Access-Accept");
    expect(accept.attributes.find((attr) => attr.name === "Class")?.value).toBe(`0x${Buffer.from("OU=Engineering-GP;").toString("hex")}`);
    const wrong = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "alice", "User-Password": "nope" }, timeoutSec: 5 });
    expect(wrong.code).toBe("Access-Reject");
    const outsider = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "bob@twofold.test", "User-Password": slapd.users.bob.password }, timeoutSec: 5 });
    expect(outsider.code).toBe("Access-Reject");
    const rows = await waitFor(async () => {
      const found = await db.prisma.authEvent.findMany({ where: { applicationId }, orderBy: { id: "asc" } });
      return found.length >= 3 ? found : undefined;
    }, { timeoutMs: 5000 });
    expect(rows?.map((row) => [row.usernameRaw, row.username, row.reason])).toEqual([
      ["TWOFOLD\\alice", "alice", "allow_unenrolled_user"],
      ["alice", "alice", "primary_reject"],
      ["bob@twofold.test", "bob", "user_not_in_permitted_group"],
    ]);
  });
});
