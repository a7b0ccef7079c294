import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encodeRequest } from "../lib/radius/encode-packet";
import { encryptPassword } from "../lib/radius/password";
import { radclient } from "../lib/testing/radclient";
import { createUdpRadiusClient, textAttribute } from "../lib/testing/udp-radius-client";
import { probeReusePort } from "./reuse-port";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";
import { spawnWorkerHost } from "../lib/testing/spawn-worker-host";

// worker/main.ts as production runs it (a primary forking worker processes), against an isolated database.
const SECRET = "processes-secret";
const support = await probeReusePort();
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-processes-"));

const runMain = (env: Record<string, string>) => spawnWorkerHost({ dataDir, env: { DATABASE_URL: db.url, ...env } });

type THealth = {
  workerId: string;
  configVersion: number;
  serving: number;
  counters: Record<string, number>;
  processes: { index: number; workerId: string; pid?: number; serving: boolean; restarts: number; configVersion?: number; counters?: Record<string, number> }[];
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "none" });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
});

afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("one worker host on every core (TWOFOLD_WORKER_PROCESSES)", () => {
  it("serves one port from several processes: every source port answered, a retransmit decided once, health adds up, ids survive a restart", { timeout: 120_000 }, async (context) => {
    context.skip(!support.ok, support.ok ? undefined : `needs SO_REUSEPORT for UDP: ${support.why}`);
    const base = `processes-${randomBytes(3).toString("hex")}`;
    const run = runMain({ TWOFOLD_WORKER_PROCESSES: "3", TWOFOLD_WORKER_ID: base });
    try {
      const ready = await waitFor(() => /serving RADIUS on 127\.0\.0\.1:(\d+) \(auth\).*health on 127\.0\.0\.1:(\d+)/.exec(run.output()) ?? undefined, { timeoutMs: 60_000 });
      expect(ready, run.output()).toBeDefined();
      const [authPort, healthPort] = [Number(ready?.[1]), Number(ready?.[2])];
      const health = async () => (await (await fetch(`http://127.0.0.1:${healthPort}/health`)).json()) as THealth;

      // 24 NAS sockets (24 source ports): the kernel spreads them over the processes; every one is answered.
      const clients = await Promise.all(Array.from({ length: 24 }, () => createUdpRadiusClient({ port: authPort, secret: SECRET })));
      const codes = await Promise.all(clients.map((client, i) => client.send({ attributes: [textAttribute(Attr.UserName, `${base}-nas${i}`)], password: "pw", retries: 2, timeoutMs: 3000 })));
      await Promise.all(clients.map((client) => client.close()));
      expect(codes).toEqual(Array.from({ length: 24 }, () => RadiusCode.AccessAccept));
      const byRadclient = await radclient({ port: authPort, secret: SECRET, attributes: { "User-Name": `${base}-radclient`, "User-Password": "pw" } });
      expect(byRadclient.code, byRadclient.stdout).toBe("Access-Accept");

      // A retransmit: same source port, identifier and authenticator, four copies — one decision, one event.
      const authenticator = randomBytes(16);
      const retransmitted = `${base}-retransmit`;
      const { packet } = encodeRequest({
        code: RadiusCode.AccessRequest,
        identifier: 77,
        authenticator,
        attributes: [textAttribute(Attr.UserName, retransmitted), { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from("pw"), secret: Buffer.from(SECRET), authenticator }) }],
        secret: Buffer.from(SECRET),
      });
      const socket = createSocket("udp4");
      const replies: Buffer[] = [];
      socket.on("message", (message) => replies.push(message));
      await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
      for (let i = 0; i < 3; i += 1) socket.send(packet, authPort, "127.0.0.1");
      await waitFor(() => (replies.length >= 1 ? true : undefined), { timeoutMs: 5000 });
      socket.send(packet, authPort, "127.0.0.1");
      await waitFor(() => (replies.length >= 2 ? true : undefined), { timeoutMs: 5000 });
      socket.close();
      expect(replies.length).toBeGreaterThanOrEqual(2);
      expect(replies.every((reply) => reply.equals(replies[0]!))).toBe(true);

      // Health: the host's counters are the sum of its processes'; 26 decisions, and every datagram past the first
      // of a request absorbed or resent. Up to 24 + 1 + 4 arrive: on a loaded machine the kernel may drop one of the
      // three back-to-back copies (the replies above prove at least two arrived), or a NAS socket may retransmit.
      const decisions = 26;
      const summed = await waitFor(async () => {
        const answer = await health();
        const [received, duplicates] = [answer.counters.received ?? 0, (answer.counters.absorbed ?? 0) + (answer.counters.resent ?? 0)];
        return answer.counters.accepted === decisions && received >= decisions + 1 && duplicates === received - decisions ? answer : undefined;
      }, { timeoutMs: 10_000 });
      const hostReceived = summed?.counters.received;
      expect(summed, JSON.stringify(await health())).toBeDefined();
      expect(summed?.serving).toBe(3);
      expect(summed?.counters.accepted).toBe(decisions);
      expect(summed?.processes.map((entry) => entry.workerId)).toEqual([0, 1, 2].map((index) => `${base}#${index}`));
      expect(summed?.processes.reduce((sum, entry) => sum + (entry.counters?.received ?? 0), 0)).toBe(hostReceived);
      expect(summed?.processes.filter((entry) => (entry.counters?.received ?? 0) > 0).length).toBeGreaterThan(1);
      expect(summed?.configVersion).toBe(Math.min(...(summed?.processes ?? []).map((entry) => entry.configVersion ?? -1)));

      const events = await waitFor(async () => {
        const rows = await db.prisma.authEvent.findMany({ where: { usernameRaw: { startsWith: base } }, select: { usernameRaw: true, workerId: true } });
        return rows.length >= 26 ? rows : undefined;
      }, { timeoutMs: 10_000 });
      expect(events?.filter((event) => event.usernameRaw === retransmitted)).toHaveLength(1);
      expect(new Set(events?.map((event) => event.workerId)).size).toBeGreaterThan(1);

      // A process that dies comes back under the same worker id (its spool is its own) and serves again.
      const victim = summed?.processes[1];
      process.kill(victim?.pid ?? 0, "SIGKILL");
      const back = await waitFor(async () => {
        const entry = (await health()).processes[1];
        return entry?.serving && entry.pid !== victim?.pid ? entry : undefined;
      }, { timeoutMs: 30_000 });
      expect(back).toMatchObject({ workerId: `${base}#1`, restarts: 1 });
      expect((await health()).serving).toBe(3);
    } finally {
      run.child.kill("SIGTERM");
      expect(await run.exited, run.output()).toBe(0);
    }
  });

  it("falls back to one process, saying why, where Node cannot share a UDP port", { timeout: 60_000 }, async (context) => {
    context.skip(support.ok, "this Node shares UDP ports (reusePort); the fallback is for Node 20");
    const run = runMain({ TWOFOLD_WORKER_PROCESSES: "3" });
    try {
      await waitFor(() => (run.output().includes("serving RADIUS") ? true : undefined), { timeoutMs: 30_000 });
      expect(run.output()).toContain("serving with one process instead of 3");
      expect(run.output()).toMatch(/reusePort/);
    } finally {
      run.child.kill("SIGTERM");
      expect(await run.exited, run.output()).toBe(0);
    }
  });
});
