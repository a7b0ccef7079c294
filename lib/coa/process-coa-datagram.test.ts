import { randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { textAttributes, vendorAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { encodeRequest } from "../radius/encode-packet";
import { parsePacket } from "../radius/parse-packet";
import { startCoaNas, type TCoaNasRequest } from "../testing/coa-nas";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";
import { createUdpRadiusClient } from "../testing/udp-radius-client";

// RFC 5176 through the worker: radclient `coa`/`disconnect` as ISE (an upstream server of the application, its
// secret), a socket of the test's own as the ASA's dynamic-authorization port, sessions from radclient `acct`.
const NAS_SECRET = "coa-nas-secret";
const ISE_SECRET = "coa-ise-secret";
const AUDIT = "c0a8010a000a1b2c3d4e5f60";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let ise: TFreeRadius;
let nas: Awaited<ReturnType<typeof startCoaNas>>;
let applicationId: string;

// The ASA: ACKs every session it holds, NAKs the one it has lost, is slow for one, silent for another.
const asaAnswer = (request: TCoaNasRequest) => {
  const session = request.text(Attr.AcctSessionId);
  if (session === "asa-lost") return { ack: false, errorCause: 503 };
  if (session === "asa-silent") return "silent" as const;
  return { ack: true, delayMs: session === "asa-slow" ? 900 : 0 };
};

const accounting = (status: string, session: string, extra: string[] = []) =>
  radclient({
    port: worker.acctPort,
    secret: NAS_SECRET,
    command: "acct",
    attributes: { "User-Name": "alice", "Acct-Session-Id": session },
    rawAttributes: [`Acct-Status-Type = ${status}`, "NAS-IP-Address = 127.0.0.1", ...extra],
  });
// With a Message-Authenticator, as ISE sends it, unless told otherwise.
const fromIse = (command: "coa" | "disconnect", port: number, rawAttributes: string[], options: { secret?: string; messageAuthenticator?: boolean; timeoutSec?: number } = {}) =>
  radclient({ port, secret: options.secret ?? ISE_SECRET, command, rawAttributes, timeoutSec: options.timeoutSec ?? 6, messageAuthenticator: options.messageAuthenticator });
const value = (reply: Awaited<ReturnType<typeof radclient>>, name: string) => reply.attributes.find((attr) => attr.name === name)?.value;
// The auth log reaches PostgreSQL just after the answer: the CoA events logged since `mark()`.
const coaEvents = () => db.prisma.authEvent.findMany({ where: { reason: { in: ["coa", "disconnect"] } }, orderBy: { id: "asc" } });
const mark = async () => (await coaEvents()).length;
const eventsSince = (seen: number, count = 1) =>
  waitFor(async () => {
    const rows = (await coaEvents()).slice(seen);
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 5000 });
// One datagram to the first CoA port (from `socket`, or a fresh one): the reply's code, or undefined after a second.
const sendRaw = async (packet: Buffer, socket?: Socket): Promise<number | undefined> => {
  const from = socket ?? createSocket("udp4");
  try {
    return await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => {
        from.off("message", onMessage);
        resolve(undefined);
      }, 1000);
      const onMessage = (reply: Buffer) => {
        clearTimeout(timer);
        from.off("message", onMessage);
        resolve(reply[0]);
      };
      from.on("message", onMessage);
      from.send(packet, worker.coaPorts[0]!, "127.0.0.1");
    });
  } finally {
    if (!socket) from.close();
  }
};
// Distinct requests the NAS got (its own duplicate detection would fold Twofold's retransmits, as any NAS does).
const distinctAtNas = () => new Set(nas.received.map((request) => request.authenticator.toString("hex"))).size;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  ise = await startFreeRadius({ secret: ISE_SECRET });
  nas = await startCoaNas({ secret: NAS_SECRET, answer: asaAnswer });
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  applicationId = application.id;
  // ISE at 127.0.0.1 (radclient's source): the only sender whose CoA is taken.
  await seedUpstream({ prisma: db.prisma, applicationId, port: ise.authPort, secret: ISE_SECRET, position: 0, timeoutMs: 2000 });
  const client = await seedClient({ prisma: db.prisma, applicationId, secret: NAS_SECRET });
  await db.prisma.radiusClient.update({ where: { id: client.id }, data: { coaPort: nas.port } });
  // Two CoA ports, as 1700 and 3799 are; short NAS timeouts so a silent NAS is answered for within radclient's wait; a
  // retransmit cache of a second, so a replay can come after it.
  worker = await startTestWorker({ databaseUrl: db.url, coaPorts: [0, 0], coaNasTimeoutMs: 400, retransmitTtlMs: 1000 });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await nas?.stop();
  await ise?.stop();
  await db?.drop();
});

describe("CoA and Disconnect from ISE, relayed to the NAS holding the session", () => {
  it("records sessions from accounting and relays a CoA to the NAS, re-signed both ways", async () => {
    const start = await accounting("Start", "asa-0001", ["Framed-IP-Address = 10.8.0.10", 'Calling-Station-Id = "203.0.113.9"', `Cisco-AVPair = "audit-session-id=${AUDIT}"`]);
    expect(start.code, start.stdout + start.stderr).toBe("Accounting-Response");
    const session = await waitFor(() => db.prisma.radiusSession.findFirst({ where: { acctSessionId: "asa-0001" } }).then((row) => row ?? undefined), { timeoutMs: 5000 });
    expect(session).toMatchObject({ username: "alice", userKey: "alice", framedIp: "10.8.0.10", callingStationId: "203.0.113.9", auditSessionId: AUDIT, nasAddress: "127.0.0.1", stoppedAt: null });

    const seenEvents = await mark();
    const coa = await fromIse("coa", worker.coaPorts[0]!, [`Cisco-AVPair = "audit-session-id=${AUDIT}"`, 'Cisco-AVPair = "ACS:CiscoSecure-Defined-ACL=#ACSACL#-IP-QUARANTINE-1"']);
    // radclient checked the answer's authenticators with ISE's secret; the NAS checked the request with its own.
    expect(coa.code, coa.stdout + coa.stderr).toBe("CoA-ACK");
    const forwarded = nas.received.at(-1);
    expect(forwarded?.code).toBe(RadiusCode.CoaRequest);
    expect(forwarded?.attributes.filter((attr) => attr.type === Attr.VendorSpecific).map((attr) => attr.value.subarray(6).toString())).toEqual([
      `audit-session-id=${AUDIT}`,
      "ACS:CiscoSecure-Defined-ACL=#ACSACL#-IP-QUARANTINE-1",
    ]);
    expect(nas.refused()).toBe(0);
    expect((await eventsSince(seenEvents))?.at(-1)).toMatchObject({ reason: "coa", result: "success", username: "alice", applicationId, nasIp: "127.0.0.1" });
  });

  it("takes Disconnect on the second port too, placing the session by Framed-IP-Address alone", async () => {
    const before = distinctAtNas();
    const seen = await mark();
    const reply = await fromIse("disconnect", worker.coaPorts[1]!, ["Framed-IP-Address = 10.8.0.10"]);
    expect(reply.code, reply.stdout + reply.stderr).toBe("Disconnect-ACK");
    expect(distinctAtNas()).toBe(before + 1);
    expect(nas.received.at(-1)?.code).toBe(RadiusCode.DisconnectRequest);
    expect((await eventsSince(seen))?.at(-1)).toMatchObject({ reason: "disconnect", result: "success" });
  });

  it("answers NAK with Error-Cause 503 when no session, NAS or login places it, without bothering any NAS", async () => {
    const before = distinctAtNas();
    const seen = await mark();
    const reply = await fromIse("disconnect", worker.coaPorts[0]!, ['Acct-Session-Id = "no-such-session"']);
    expect(reply.code, reply.stdout).toBe("Disconnect-NAK");
    expect(value(reply, "Error-Cause")).toBe("Session-Context-Not-Found");
    expect(distinctAtNas()).toBe(before);
    expect((await eventsSince(seen))?.at(-1)).toMatchObject({ reason: "disconnect", result: "failure" });
  });

  it("relays the NAS's own NAK, and NAKs for a silent NAS", async () => {
    await accounting("Start", "asa-lost");
    await accounting("Start", "asa-silent");
    await waitFor(async () => ((await db.prisma.radiusSession.count({ where: { acctSessionId: { in: ["asa-lost", "asa-silent"] } } })) === 2 ? true : undefined), { timeoutMs: 5000 });
    const seen = await mark();
    const lost = await fromIse("coa", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-lost"']);
    expect(lost.code).toBe("CoA-NAK");
    expect(value(lost, "Error-Cause")).toBe("Session-Context-Not-Found");
    const silent = await fromIse("coa", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-silent"']);
    expect(silent.code).toBe("CoA-NAK");
    expect(value(silent, "Error-Cause"), silent.stdout).toBe("Proxy-Processing-Error") // 505;
    expect((await eventsSince(seen, 2))?.map((row) => row.result)).toEqual(["failure", "error"]);
  });

  it("takes requests only from the upstream with its secret and a Message-Authenticator: anything else is dropped and counted", async () => {
    const before = nas.received.length;
    // The right secret but no Message-Authenticator: ISE always signs CoA with one, so its absence is refused.
    const unsigned = await fromIse("coa", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-0001"'], { messageAuthenticator: false, timeoutSec: 1 });
    expect(unsigned.code).toBeUndefined();
    const wrongWithMa = await fromIse("coa", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-0001"'], { secret: "not-the-ise-secret", timeoutSec: 1 });
    expect(wrongWithMa.code).toBeUndefined();
    // A right Request Authenticator around a wrong Message-Authenticator: refused as well.
    const { packet } = encodeRequest({ code: RadiusCode.CoaRequest, identifier: 9, authenticator: Buffer.alloc(16), attributes: textAttributes(Attr.AcctSessionId, "asa-0001"), secret: Buffer.from("other") });
    const forged = Buffer.from(packet);
    const { packet: honest } = encodeRequest({ code: RadiusCode.CoaRequest, identifier: 9, authenticator: Buffer.alloc(16), attributes: textAttributes(Attr.AcctSessionId, "asa-0001"), secret: Buffer.from(ISE_SECRET) });
    honest.copy(forged, 4, 4, 20); // ISE's authenticator over the same bytes but a Message-Authenticator from another secret
    expect(parsePacket(forged).ok).toBe(true);
    // And the other way round: ISE's Message-Authenticator (computed over a zero authenticator) around a wrong
    // Request Authenticator.
    const badAuthenticator = Buffer.from(honest);
    badAuthenticator[4] = (badAuthenticator[4] ?? 0) ^ 0xff;
    expect(await sendRaw(forged)).toBeUndefined();
    expect(await sendRaw(badAuthenticator)).toBeUndefined();
    expect(nas.received.length).toBe(before);
    expect(worker.stats().dropped).toMatchObject({ missing_message_authenticator: 1, bad_authenticator: 1, bad_message_authenticator: 2 });
  });

  it("acts on an Event-Timestamp within 300 s of now and drops one outside the window, either way", async () => {
    await accounting("Start", "asa-stamp");
    await waitFor(() => db.prisma.radiusSession.findFirst({ where: { acctSessionId: "asa-stamp" } }).then((row) => row ?? undefined), { timeoutMs: 5000 });
    const before = nas.received.length;
    const now = Math.floor(Date.now() / 1000);
    const fresh = await fromIse("coa", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-stamp"', `Event-Timestamp = ${now - 10}`]);
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe("CoA-ACK");
    expect(nas.received.length).toBe(before + 1);
    const late = await fromIse("disconnect", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-stamp"', `Event-Timestamp = ${now - 600}`], { timeoutSec: 1 });
    expect(late.code).toBeUndefined();
    const early = await fromIse("disconnect", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-stamp"', `Event-Timestamp = ${now + 600}`], { timeoutSec: 1 });
    expect(early.code).toBeUndefined();
    expect(nas.received.length).toBe(before + 1);
    expect(worker.stats().dropped).toMatchObject({ stale_event_timestamp: 2 });
    expect(worker.logs.some((line) => line.includes("dropped stale_event_timestamp") && line.includes("window"))).toBe(true);
  });

  it("answers ISE's retransmit from the cache, but never forwards a replay of a request it already acted on", async () => {
    const before = nas.received.length;
    const { packet } = encodeRequest({ code: RadiusCode.DisconnectRequest, identifier: 77, authenticator: Buffer.alloc(16), attributes: textAttributes(Attr.AcctSessionId, "asa-stamp"), secret: Buffer.from(ISE_SECRET) });
    const ise = createSocket("udp4");
    await new Promise<void>((resolve) => ise.bind(0, "127.0.0.1", resolve));
    try {
      expect(await sendRaw(packet, ise)).toBe(RadiusCode.DisconnectAck);
      expect(await sendRaw(packet, ise)).toBe(RadiusCode.DisconnectAck); // a retransmit: the same answer, from the cache
      expect(nas.received.length).toBe(before + 1);
      // The same bytes from another port (another process of a spoofer, or a capture): not ISE's retransmit.
      expect(await sendRaw(packet)).toBeUndefined();
      // From ISE's own port once the retransmit cache (1 s here) has let go of it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await sendRaw(packet, ise)).toBeUndefined();
    } finally {
      ise.close();
    }
    expect(nas.received.length).toBe(before + 1);
    expect(worker.stats().dropped).toMatchObject({ replayed_request: 2 });
  });

  it("absorbs ISE's retransmits while the NAS is slow: one request reaches the NAS, every copy gets the answer", async () => {
    await accounting("Start", "asa-slow");
    await waitFor(() => db.prisma.radiusSession.findFirst({ where: { acctSessionId: "asa-slow" } }).then((row) => row ?? undefined), { timeoutMs: 5000 });
    const before = distinctAtNas();
    const client = await createUdpRadiusClient({ port: worker.coaPorts[0]!, secret: ISE_SECRET });
    const reply = await client.exchange({ code: RadiusCode.CoaRequest, attributes: [...textAttributes(Attr.AcctSessionId, "asa-slow"), vendorAttribute(9, 1, Buffer.from("subscriber:command=reauthenticate"))], timeoutMs: 300, retries: 5 });
    await client.close();
    expect(reply?.code).toBe(RadiusCode.CoaAck);
    expect(distinctAtNas()).toBe(before + 1);
  });

  it("after the Stop, places a Disconnect by the user's last login when accounting no longer knows the session", async () => {
    await accounting("Stop", "asa-0001");
    await waitFor(() => db.prisma.radiusSession.findFirst({ where: { acctSessionId: "asa-0001", stoppedAt: { not: null } } }).then((row) => row ?? undefined), { timeoutMs: 5000 });
    const gone = await fromIse("disconnect", worker.coaPorts[0]!, ['Acct-Session-Id = "asa-0001"']);
    expect(value(gone, "Error-Cause")).toBe("Session-Context-Not-Found");
    // bob logs in through Twofold; no accounting for him reaches Twofold (it goes straight to ISE).
    const login = await radclient({ port: worker.authPort, secret: NAS_SECRET, attributes: { "User-Name": "bob", "User-Password": "bob-pass" } });
    expect(login.code, login.stdout).toBe("Access-Accept");
    await waitFor(async () => ((await db.prisma.authEvent.count({ where: { username: "bob" } })) > 0 ? true : undefined), { timeoutMs: 5000 });
    const before = distinctAtNas();
    const seen = await mark();
    const reply = await fromIse("disconnect", worker.coaPorts[0]!, ['User-Name = "bob"', `Acct-Session-Id = "${randomBytes(4).toString("hex")}"`]);
    expect(reply.code, reply.stdout).toBe("Disconnect-ACK");
    expect(distinctAtNas()).toBe(before + 1);
    expect((await eventsSince(seen))?.at(-1)?.attributes).toMatchObject({ placedBy: "auth_event", answer: "Disconnect-ACK" });
  });
});
