import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encryptPassword } from "../lib/radius/password";
import { createUpstreamTransport, type TUpstreamTransport } from "../lib/radius/upstream/create-upstream-transport";
import { radclient } from "../lib/testing/radclient";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let nas: TUpstreamTransport;
let stranger: TUpstreamTransport;

const status = (transport: TUpstreamTransport, secret: string, timeoutMs = 300) =>
  transport.exchange({ target: { host: "127.0.0.1", port: worker.authPort, secret: Buffer.from(secret) }, code: RadiusCode.StatusServer, attributes: () => [], timeoutMs, retries: 0 });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  worker = await startTestWorker({ databaseUrl: db.url, healthPort: 0 });
  nas = await createUpstreamTransport({ bindAddress: "127.0.0.1" });
  stranger = await createUpstreamTransport({ bindAddress: "127.0.0.2" });
});

afterAll(async () => {
  await nas?.close();
  await stranger?.close();
  await worker?.stop();
  await db?.drop();
});

describe("worker basics", () => {
  it("answers Status-Server within a second of a client row appearing, without restart; an unknown address gets nothing", async () => {
    const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "none" });
    expect((await status(nas, "status-secret", 200)).ok).toBe(false);
    const created = Date.now();
    await seedClient({ prisma: db.prisma, applicationId: application.id, secret: "status-secret" });
    const answer = await waitFor(async () => {
      const result = await status(nas, "status-secret", 100);
      return result.ok ? result : undefined;
    }, { timeoutMs: 1000 });
    expect(answer?.ok, `no Status-Server answer ${Date.now() - created} ms after the client row was created`).toBe(true);
    if (answer?.ok) expect(answer.packet.code).toBe(RadiusCode.AccessAccept);
    expect((await status(stranger, "status-secret", 500)).ok).toBe(false);
    expect(worker.stats().dropped).toMatchObject({ unknown_client: expect.any(Number) });
    // Status-Server on the accounting port too (RFC 5997 §3), checked with radclient.
    const acctStatus = await radclient({ port: worker.acctPort, secret: "status-secret", command: "status", rawAttributes: ["Message-Authenticator = 0x00"] });
    expect(acctStatus.code, acctStatus.stdout).toBe("Accounting-Response");
    const authStatus = await radclient({ port: worker.authPort, secret: "status-secret", command: "status", rawAttributes: ["Message-Authenticator = 0x00"] });
    expect(authStatus.code, authStatus.stdout).toBe("Access-Accept");
    const health = (await (await fetch(`http://127.0.0.1:${worker.healthPort}/health`)).json()) as { workerId: string; configVersion: number };
    expect(health.workerId).toBe(worker.workerId);
    expect(health.configVersion).toBe(worker.configVersion());
  });

  it("local users: accept with the mapped Class, reject a wrong password, reject a disabled user; each logged", async () => {
    const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local" });
    const group = await db.prisma.group.create({ data: { name: `vpn-${application.id.slice(0, 8)}` } });
    await db.prisma.applicationGroupMapping.create({ data: { applicationId: application.id, groupId: group.id, classValue: "Engineering", position: 1 } });
    const user = await db.prisma.user.create({ data: { username: `u-${application.id.slice(0, 8)}`, passwordHash: await hash("pa,ss\\wörd"), groups: { create: { groupId: group.id } } } });
    const off = await db.prisma.user.create({ data: { username: `off-${application.id.slice(0, 8)}`, passwordHash: await hash("pw"), status: "disabled" } });
    // This client (127.0.0.1/32) is the most specific for radclient and now belongs to the local application.
    await db.prisma.radiusClient.updateMany({ data: { applicationId: application.id, secret: undefined } });
    const secret = "status-secret";
    await waitFor(() => (worker.configVersion() > 0 ? true : undefined), { timeoutMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const accept = await radclient({ port: worker.authPort, secret, attributes: { "User-Name": `DOMAIN\\${user.username}`, "User-Password": "pa,ss\\wörd", "Calling-Station-Id": "198.51.100.7" }, rawAttributes: ["NAS-IP-Address = 10.9.8.7"] });
    expect(accept.code, accept.stdout).toBe("Access-Accept");
    expect(accept.attributes.find((attr) => attr.name === "Class")?.value).toBe("0x4f553d456e67696e656572696e673b"); // "OU=Engineering;"
    expect(accept.attributes[0]?.name).toBe("Message-Authenticator");
    const wrong = await radclient({ port: worker.authPort, secret, attributes: { "User-Name": user.username, "User-Password": "nope" } });
    expect(wrong.code).toBe("Access-Reject");
    const disabled = await radclient({ port: worker.authPort, secret, attributes: { "User-Name": off.username, "User-Password": "pw" } });
    expect(disabled.code).toBe("Access-Reject");
    const events = await waitFor(async () => {
      const rows = await db.prisma.authEvent.findMany({ where: { applicationId: application.id }, orderBy: { id: "asc" } });
      return rows.length >= 3 ? rows : undefined;
    }, { timeoutMs: 3000 });
    expect(events?.map((event) => event.reason)).toEqual(["allow_unenrolled_user", "primary_reject", "user_disabled"]);
    expect(events?.[0]).toMatchObject({ nasIp: "10.9.8.7", callingStationId: "198.51.100.7", workerId: worker.workerId, userId: user.id });
  });

  it("drops a wrong secret and a request without Message-Authenticator when the client requires one", async () => {
    const before = worker.stats().dropped as Record<string, number>;
    const wrong = await radclient({ port: worker.authPort, secret: "not-the-secret", attributes: { "User-Name": "x", "User-Password": "y" }, retries: 1, timeoutSec: 0.5 });
    expect(wrong.code).toBeUndefined();
    const noMa = await radclient({ port: worker.authPort, secret: "status-secret", attributes: { "User-Name": "x", "User-Password": "y" }, messageAuthenticator: false, retries: 1, timeoutSec: 0.5 });
    expect(noMa.code).toBeUndefined();
    const after = worker.stats().dropped as Record<string, number>;
    expect(after.bad_message_authenticator ?? 0).toBeGreaterThan(before.bad_message_authenticator ?? 0);
    expect(after.missing_message_authenticator ?? 0).toBeGreaterThan(before.missing_message_authenticator ?? 0);
    await db.prisma.radiusClient.updateMany({ data: { requireMessageAuthenticator: false } });
    const answered = await waitFor(async () => {
      const result = await radclient({ port: worker.authPort, secret: "status-secret", attributes: { "User-Name": "x", "User-Password": "y" }, messageAuthenticator: false, retries: 1, timeoutSec: 0.5 });
      return result.code;
    }, { timeoutMs: 10_000 });
    expect(answered).toBe("Access-Reject");
  });

  it("absorbs a retransmit and re-sends the cached answer", async () => {
    const authenticator = Buffer.alloc(16, 9);
    const username = `retransmit-${Date.now()}`;
    const { encodeRequest } = await import("../lib/radius/encode-packet");
    const { packet } = encodeRequest({
      code: RadiusCode.AccessRequest,
      identifier: 77,
      authenticator,
      attributes: [{ type: Attr.UserName, value: Buffer.from(username) }, { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from("pw"), secret: Buffer.from("status-secret"), authenticator }) }],
      secret: Buffer.from("status-secret"),
    });
    const dgram = await import("node:dgram");
    const socket = dgram.createSocket("udp4");
    const replies: Buffer[] = [];
    socket.on("message", (message) => replies.push(message));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const before = worker.stats();
    for (let i = 0; i < 3; i += 1) socket.send(packet, worker.authPort, "127.0.0.1");
    await waitFor(() => (replies.length >= 1 ? true : undefined), { timeoutMs: 3000 });
    socket.send(packet, worker.authPort, "127.0.0.1");
    await waitFor(() => (replies.length >= 2 ? true : undefined), { timeoutMs: 3000 });
    socket.close();
    const after = worker.stats();
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(replies[1]?.equals(replies[0]!)).toBe(true);
    // Exactly one decision (one event) for four copies of the same request.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await db.prisma.authEvent.count({ where: { usernameRaw: username } })).toBe(1);
    expect((after.resent as number) + (after.absorbed as number)).toBeGreaterThan((before.resent as number) + (before.absorbed as number));
  });
});
