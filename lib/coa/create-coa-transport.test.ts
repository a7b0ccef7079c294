import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { Attr, RadiusCode } from "../radius/constants";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { startCoaNas } from "../testing/coa-nas";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";
import { coaBindAddress, createCoaTransport } from "./create-coa-transport";

// A host with several addresses, on loopback: the worker listens on 127.0.0.5 only, the ASA (a socket of the test's
// own) is 127.0.0.1 — the address an unbound socket would send from — and radclient plays both the ASA's accounting
// and ISE.
const NAS_SECRET = "coa-source-nas-secret";
const ISE_SECRET = "coa-source-ise-secret";
const HOST = "127.0.0.5";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let nas: Awaited<ReturnType<typeof startCoaNas>>;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  nas = await startCoaNas({ secret: NAS_SECRET, answer: () => ({ ack: true }) });
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius" });
  await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: 1812, secret: ISE_SECRET, position: 0 });
  const client = await seedClient({ prisma: db.prisma, applicationId: application.id, secret: NAS_SECRET });
  await db.prisma.radiusClient.update({ where: { id: client.id }, data: { coaPort: nas.port } });
  worker = await startTestWorker({ databaseUrl: db.url, host: HOST, coaPorts: [0], coaNasTimeoutMs: 400 });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await nas?.stop();
  await db?.drop();
});

describe("CoA to the NAS from TWOFOLD_RADIUS_HOST", () => {
  it("binds to a specific address only, never to the wildcard", () => {
    expect(coaBindAddress("0.0.0.0")).toBeUndefined();
    expect(coaBindAddress("::")).toBeUndefined();
    expect(coaBindAddress("0:0:0:0:0:0:0:0")).toBeUndefined();
    expect(coaBindAddress("192.0.2.5")).toEqual({ address: "192.0.2.5", family: 4 });
    expect(coaBindAddress("2001:db8::5")).toEqual({ address: "2001:db8::5", family: 6 });
  });

  it("sends to a NAS of the other address family through the unbound transport", async () => {
    const used: string[] = [];
    const stub = (name: string): TUpstreamTransport => ({
      exchange: async () => (used.push(name), { ok: false, kind: "error", detail: name, ms: 0 }),
      close: async () => {},
    });
    const transport = await createCoaTransport({ host: "192.0.2.5", fallback: stub("fallback"), open: async () => stub("bound") });
    const request = { code: RadiusCode.CoaRequest, attributes: () => [], timeoutMs: 1, retries: 0 };
    await transport.exchange({ ...request, target: { host: "192.0.2.77", port: 1700, secret: Buffer.from("s") } });
    await transport.exchange({ ...request, target: { host: "2001:db8::77", port: 1700, secret: Buffer.from("s") } });
    expect(used).toEqual(["bound", "fallback"]);
  });

  it("relays ISE's Disconnect to the NAS from the address the worker listens on", async () => {
    const start = await radclient({ host: HOST, port: worker.acctPort, secret: NAS_SECRET, command: "acct", attributes: { "User-Name": "carol", "Acct-Session-Id": "src-1" }, rawAttributes: ["Acct-Status-Type = Start"] });
    expect(start.code, start.stdout + start.stderr).toBe("Accounting-Response");
    await waitFor(() => db.prisma.radiusSession.findFirst({ where: { acctSessionId: "src-1" } }).then((row) => row ?? undefined), { timeoutMs: 5000 });
    const reply = await radclient({ host: HOST, port: worker.coaPorts[0]!, secret: ISE_SECRET, command: "disconnect", rawAttributes: ['Acct-Session-Id = "src-1"'], timeoutSec: 4 });
    expect(reply.code, reply.stdout + reply.stderr).toBe("Disconnect-ACK");
    const request = nas.received.at(-1);
    expect([request?.code, request?.text(Attr.AcctSessionId), request?.from]).toEqual([RadiusCode.DisconnectRequest, "src-1", HOST]);
  });
});
