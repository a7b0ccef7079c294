import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encodeRequest } from "../lib/radius/encode-packet";
import { encryptPassword } from "../lib/radius/password";
import { createUpstreamTransport } from "../lib/radius/upstream/create-upstream-transport";
import { startFreeRadius, type TFreeRadius } from "../lib/testing/freeradius";
import { radclient } from "../lib/testing/radclient";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { startRecordingUpstream } from "./test-support/recording-upstream";
import { seedApplication, seedClient, seedUpstream } from "./test-support/seed";
import { sendLogin } from "./test-support/send-login";
import { waitFor } from "./test-support/wait-for";

const NAS_SECRET = "asa-shared-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let first: TFreeRadius;
let second: TFreeRadius;
let applicationId: string;

const auth = (attributes: Record<string, string>, rawAttributes: string[] = []) =>
  radclient({ port: worker.authPort, secret: NAS_SECRET, attributes, rawAttributes, timeoutSec: 3 });

const events = (count: number) =>
  waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { applicationId }, orderBy: { id: "asc" } });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 5000 });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  [first, second] = await Promise.all([startFreeRadius({ secret: "upstream-one" }), startFreeRadius({ secret: "upstream-two" })]);
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius" });
  applicationId = application.id;
  await seedUpstream({ prisma: db.prisma, applicationId, port: first.authPort, accountingPort: first.acctPort, secret: "upstream-one", position: 0, timeoutMs: 400, retries: 1 });
  await seedUpstream({ prisma: db.prisma, applicationId, port: second.authPort, secret: "upstream-two", position: 1, timeoutMs: 400, retries: 0 });
  await seedClient({ prisma: db.prisma, applicationId, secret: NAS_SECRET });
  worker = await startTestWorker({ databaseUrl: db.url, holdDownMs: 60_000 });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await first?.stop();
  await second?.stop();
  await db?.drop();
});

describe("worker in front of an upstream RADIUS (FreeRADIUS as ISE)", () => {
  it("relays accept with Class, Cisco-AVPair and ASA attributes; reject; any password bytes", async () => {
    const accept = await auth({ "User-Name": "alice", "User-Password": "alice-pass", "Calling-Station-Id": "203.0.113.9" }, ["NAS-IP-Address = 10.20.30.40"]);
    expect(accept.code, accept.stdout).toBe("Access-Accept");
    const names = accept.attributes.map((attr) => attr.name);
    expect(names[0]).toBe("Message-Authenticator");
    expect(accept.attributes.find((attr) => attr.name === "Class")?.value).toBe(`0x${Buffer.from("OU=Engineering;").toString("hex")}`);
    expect(accept.attributes.filter((attr) => attr.name === "Cisco-AVPair").map((attr) => attr.value)).toEqual(["ip:inacl#1=permit ip any any", "shell:priv-lvl=1"]);
    expect(accept.attributes.find((attr) => attr.name === "Filter-Id")?.value).toBe("vpn-engineering");
    expect(accept.attributes.find((attr) => attr.name === "Framed-IP-Address")?.value).toBe("10.8.0.10");
    expect(accept.attributes.find((attr) => attr.name === "Session-Timeout")?.value).toBe("3600");
    expect(accept.attributes.some((attr) => attr.value === "Engineering-GP")).toBe(true);
    const reject = await auth({ "User-Name": "bob", "User-Password": "wrong" });
    expect(reject.code).toBe("Access-Reject");
    const dave = await auth({ "User-Name": "dave", "User-Password": "p,a\\ss wörd" });
    expect(dave.code, dave.stdout).toBe("Access-Accept");
    const rows = await events(3);
    expect(rows?.slice(-3).map((row) => row.reason)).toEqual(["allow_unenrolled_user", "primary_reject", "allow_unenrolled_user"]);
  });

  it("carries NAS-IP-Address, Calling-Station-Id and the password bytes upstream, with a Message-Authenticator", async () => {
    const recorder = await startRecordingUpstream({ secret: "recorder-secret" });
    try {
      const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius" });
      await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: recorder.port, secret: "recorder-secret", position: 0 });
      await seedClient({ prisma: db.prisma, applicationId: application.id, address: "127.0.0.3", secret: "third-nas" });
      const nas = await createUpstreamTransport({ bindAddress: "127.0.0.3" });
      const password = Buffer.from("pa,ss\\wörd-ünïcode");
      const send = () =>
        sendLogin({
          nas,
          port: worker.authPort,
          secret: "third-nas",
          username: "CORP\\erin",
          password,
          attributes: [
            { type: Attr.NasIpAddress, value: Buffer.from([10, 20, 30, 40]) },
            { type: Attr.CallingStationId, value: Buffer.from("203.0.113.9") },
          ],
          timeoutMs: 500,
        });
      const reply = await waitFor(async () => {
        const result = await send();
        return result.ok ? result : undefined;
      }, { timeoutMs: 3000 });
      await nas.close();
      expect(reply?.ok && reply.packet.code).toBe(RadiusCode.AccessAccept);
      const seen = recorder.requests.at(-1);
      expect(seen?.userName).toBe("CORP\\erin");
      expect(seen?.password?.equals(password)).toBe(true);
      expect(seen?.nasIp).toBe("10.20.30.40");
      expect(seen?.callingStationId).toBe("203.0.113.9");
      expect(seen?.messageAuthenticator).toBeDefined();
    } finally {
      await recorder.stop();
    }
  });

  it("passes through only the allow-listed attributes when the application says so", async () => {
    const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", passThroughAll: false, passThroughAttrs: ["Class", "cisco-avpair", "ASA-Group-Policy"] });
    await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: first.authPort, secret: "upstream-one", position: 0 });
    await seedClient({ prisma: db.prisma, applicationId: application.id, address: "127.0.0.4", secret: "fourth-nas" });
    const nas = await createUpstreamTransport({ bindAddress: "127.0.0.4" });
    const reply = await waitFor(async () => {
      const result = await sendLogin({ nas, port: worker.authPort, secret: "fourth-nas", username: "alice", password: "alice-pass", timeoutMs: 1000 });
      return result.ok ? result : undefined;
    }, { timeoutMs: 5000 });
    await nas.close();
    if (!reply?.ok) throw new Error("no answer");
    const attributes = reply.packet.attributes;
    expect(reply.packet.code).toBe(RadiusCode.AccessAccept);
    expect(attributes.find((attr) => attr.type === Attr.Class)?.value.toString()).toBe("OU=Engineering;");
    expect(attributes.filter((attr) => attr.vendorId === 9)).toHaveLength(2);
    expect(attributes.filter((attr) => attr.vendorId === 3076 && attr.vendorType === 25)).toHaveLength(1);
    expect(attributes.some((attr) => attr.type === Attr.FilterId || attr.type === Attr.FramedIpAddress || attr.type === Attr.SessionTimeout)).toBe(false);
  });

  it("relays an upstream Access-Challenge to the NAS and the answer back", async () => {
    const challenge = await auth({ "User-Name": "carol", "User-Password": "carol-pass" });
    expect(challenge.code, challenge.stdout).toBe("Access-Challenge");
    expect(challenge.attributes.find((attr) => attr.name === "Reply-Message")?.value).toBe("Enter your RSA token code");
    const state = challenge.attributes.find((attr) => attr.name === "State")?.value;
    expect(state).toMatch(/^0x/);
    // The answer goes to another worker (an ASA with two servers may do that): the mapping is shared.
    const other = await startTestWorker({ databaseUrl: db.url });
    try {
      const answer = await radclient({ port: other.authPort, secret: NAS_SECRET, attributes: { "User-Name": "carol", "User-Password": "424242", State: state ?? "" }, timeoutSec: 3 });
      expect(answer.code, answer.stdout).toBe("Access-Accept");
      expect(answer.attributes.find((attr) => attr.name === "Class")?.value).toBe(`0x${Buffer.from("OU=Engineering;").toString("hex")}`);
      // Single use: the same State again is refused.
      const replay = await auth({ "User-Name": "carol", "User-Password": "424242", State: state ?? "" });
      expect(replay.code).toBe("Access-Reject");
    } finally {
      await other.stop();
    }
  });

  it("absorbs retransmits: the upstream sees exactly one request", async () => {
    const before = first.requestCount();
    const authenticator = Buffer.alloc(16, 0x5a);
    const { packet } = encodeRequest({
      code: RadiusCode.AccessRequest,
      identifier: 200,
      authenticator,
      attributes: [{ type: Attr.UserName, value: Buffer.from("bob") }, { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from("bob-pass"), secret: Buffer.from(NAS_SECRET), authenticator }) }],
      secret: Buffer.from(NAS_SECRET),
    });
    const dgram = await import("node:dgram");
    const socket = dgram.createSocket("udp4");
    const replies: Buffer[] = [];
    socket.on("message", (message) => replies.push(message));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    for (let i = 0; i < 4; i += 1) socket.send(packet, worker.authPort, "127.0.0.1");
    await waitFor(() => (replies.length >= 1 ? true : undefined), { timeoutMs: 5000 });
    socket.send(packet, worker.authPort, "127.0.0.1");
    await waitFor(() => (replies.length >= 2 ? true : undefined), { timeoutMs: 5000 });
    socket.close();
    expect(replies[0]?.[0]).toBe(RadiusCode.AccessAccept);
    expect(replies.every((reply) => reply.equals(replies[0]!))).toBe(true);
    expect(first.requestCount() - before).toBe(1);
  });

  it("records and forwards accounting", async () => {
    const before = first.accountingCount();
    const result = await radclient({ port: worker.acctPort, secret: NAS_SECRET, command: "acct", attributes: { "User-Name": "alice", "Acct-Session-Id": "sess-1" }, rawAttributes: ["Acct-Status-Type = Start"], messageAuthenticator: false });
    expect(result.code, `${result.stdout}\n${worker.logs.join("\n")}`).toBe("Accounting-Response");
    const row = await waitFor(() => db.prisma.accountingEvent.findFirst({ where: { sessionId: "sess-1" } }).then((value) => value ?? undefined), { timeoutMs: 5000 });
    expect(row).toMatchObject({ username: "alice", statusType: "Start", workerId: worker.workerId });
    expect(await waitFor(() => (first.accountingCount() > before ? true : undefined), { timeoutMs: 5000 })).toBe(true);
  });

  it("fails over to the second upstream when the first is down, and rejects with upstream_timeout when both are", async () => {
    await first.stop();
    const failover = await auth({ "User-Name": "bob", "User-Password": "bob-pass" });
    expect(failover.code, failover.stdout).toBe("Access-Accept");
    expect(failover.attributes.find((attr) => attr.name === "Class")?.value).toBe(`0x${Buffer.from("OU=Sales;").toString("hex")}`);
    await second.stop();
    const down = await auth({ "User-Name": "bob", "User-Password": "bob-pass" });
    expect(down.code).toBe("Access-Reject");
    const rows = await waitFor(async () => {
      const all = await db.prisma.authEvent.findMany({ where: { applicationId }, orderBy: { id: "desc" }, take: 1 });
      return all[0]?.reason === "upstream_timeout" ? all : undefined;
    }, { timeoutMs: 5000 });
    expect(rows?.[0]?.reason).toBe("upstream_timeout");
  });
});
