import { randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RadiusCode } from "../radius/constants";
import { encodeResponse } from "../radius/encode-packet";
import { parsePacket } from "../radius/parse-packet";
import { encryptSecret } from "../secrets/envelope";
import { parseSecretKey } from "../secrets/secret-key";
import { freePort } from "../testing/free-port";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { runTwofold } from "../testing/run-twofold";
import { startTestWorker } from "../testing/start-test-worker";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";

type TDoctor = { ok: boolean; checks: { name: string; ok: boolean; detail: string; skipped?: boolean }[] };

// doctor as an operator runs it on a worker host: a real FreeRADIUS as the upstream ISE, the secrets encrypted with
// the run's key, the worker's ports on free loopback ports.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let upstream: TFreeRadius;
let env: Record<string, string>;
const key = process.env.TWOFOLD_SECRET_KEY ?? "";

beforeAll(async () => {
  database = await createIsolatedDatabase();
  upstream = await startFreeRadius({ secret: "upstream-secret" });
  const application = await seedApplication({ prisma: database.prisma, primaryAuthMode: "radius" });
  await seedClient({ prisma: database.prisma, applicationId: application.id, secret: "nas-secret" });
  await seedUpstream({ prisma: database.prisma, applicationId: application.id, port: upstream.authPort, secret: "upstream-secret", position: 0 });
  env = {
    DATABASE_URL: database.url,
    TWOFOLD_SECRET_KEY: key,
    TWOFOLD_RADIUS_HOST: "127.0.0.1",
    TWOFOLD_RADIUS_AUTH_PORT: String(await freePort()),
    TWOFOLD_RADIUS_ACCT_PORT: String(await freePort()),
    TWOFOLD_COA_PORTS: `${await freePort()},${await freePort()}`,
    TWOFOLD_API_HOST: "127.0.0.1",
    TWOFOLD_API_PORT: String(await freePort()),
    TWOFOLD_HEALTH_PORT: String(await freePort()),
  };
});
afterAll(async () => {
  await upstream?.stop();
  await database?.drop();
});

const doctor = async (overrides: Record<string, string> = {}, args: string[] = []) => {
  const run = await runTwofold({ args: ["doctor", "--json", ...args], env: { ...env, ...overrides } });
  const report = run.json() as TDoctor;
  return { code: run.code, report, check: (name: string) => report.checks.find((check) => check.name.startsWith(name)) };
};

describe("twofold doctor", { timeout: 180_000 }, () => {
  it("passes on a healthy installation; the upstream FreeRADIUS answers Status-Server", async () => {
    const { code, report, check } = await doctor();
    expect(report.checks.filter((entry) => !entry.ok)).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.map((entry) => entry.name.split(" (")[0])).toEqual(["database", "migrations", "secret key", "ports", expect.stringMatching(/^upstream upstream-/), "clock"]);
    expect(check("upstream")?.detail).toMatch(new RegExp(`127\\.0\\.0\\.1:${upstream.authPort} answered Status-Server \\(Access-(Accept|Reject)\\)`));
    expect(check("secret key")?.detail).toMatch(/decrypts application "app-\w+" skey, RADIUS client "client-\w+" secret, primary server "upstream-\w+" secret/);
    expect(check("database")?.detail).toContain("(DATABASE_URL)");

    // The text form: one line per check, ok/FAIL first.
    const text = await runTwofold({ args: ["doctor"], env });
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split("\n").every((line) => line.startsWith("ok  "))).toBe(true);
  });

  it("fails with a wrong secret key: nothing stored decrypts, and the upstream's secret is unreadable", async () => {
    const wrong = randomBytes(32).toString("base64");
    expect(parseSecretKey(wrong)).toHaveLength(32);
    const { code, report, check } = await doctor({ TWOFOLD_SECRET_KEY: wrong });
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(check("secret key")).toMatchObject({ ok: false, detail: expect.stringContaining("not the key that encrypted them") });
    expect(check("upstream")).toMatchObject({ ok: false, detail: expect.stringContaining("cannot decrypt its shared secret") });
    expect(check("database")?.ok).toBe(true);

    const missing = await doctor({ TWOFOLD_SECRET_KEY: "" });
    expect(missing.code).toBe(1);
    expect(missing.check("secret key")).toMatchObject({ ok: false, detail: expect.stringContaining("not set") });
    const malformed = await doctor({ TWOFOLD_SECRET_KEY: "too-short" });
    expect(malformed.check("secret key")).toMatchObject({ ok: false, detail: expect.stringContaining("32 random bytes") });
  });

  it("fails for an upstream that does not share the secret, and for a RADIUS port another process holds", async () => {
    const application = await database.prisma.application.findFirstOrThrow();
    const stranger = await database.prisma.primaryAuthServer.create({
      data: { name: "wrong-secret", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: upstream.authPort, secret: encryptSecret("not-the-secret"), timeoutMs: 300, retries: 0, position: 1 },
    });
    const squatter: Socket = createSocket("udp4");
    await new Promise<void>((resolve) => squatter.bind(Number(env.TWOFOLD_RADIUS_AUTH_PORT), "127.0.0.1", resolve));
    try {
      const { code, check, report } = await doctor();
      expect(code).toBe(1);
      expect(report.checks.find((entry) => entry.name.startsWith("upstream wrong-secret"))).toMatchObject({ ok: false, detail: expect.stringContaining("no answer") });
      expect(check("ports")).toMatchObject({ ok: false, detail: expect.stringContaining(`udp 127.0.0.1:${env.TWOFOLD_RADIUS_AUTH_PORT} (RADIUS auth): in use by another process`) });
    } finally {
      squatter.close();
      await database.prisma.primaryAuthServer.delete({ where: { id: stranger.id } });
    }
  });

  it("fails for a CoA port and the Duo API port another process holds; an API port that is off is not checked", async () => {
    const coaPort = Number(env.TWOFOLD_COA_PORTS?.split(",")[1]);
    const apiPort = Number(env.TWOFOLD_API_PORT);
    const coaSquatter: Socket = createSocket("udp4");
    await new Promise<void>((resolve) => coaSquatter.bind(coaPort, "127.0.0.1", resolve));
    let coaHeld = true;
    const apiSquatter = createServer();
    await new Promise<void>((resolve) => apiSquatter.listen(apiPort, "127.0.0.1", resolve));
    try {
      const { code, check } = await doctor();
      expect(code).toBe(1);
      const detail = check("ports")?.detail ?? "";
      expect(detail).toContain(`udp 127.0.0.1:${coaPort} (CoA): in use by another process`);
      expect(detail).toContain(`tcp 127.0.0.1:${apiPort} (Duo API): in use by another process`);
      expect(detail, "the other CoA port is free").not.toContain(`:${env.TWOFOLD_COA_PORTS?.split(",")[0]} (CoA)`);

      await new Promise<void>((resolve) => coaSquatter.close(resolve));
      coaHeld = false;
      const apiOff = await doctor({ TWOFOLD_API_PORT: "off" });
      expect(apiOff.check("ports")).toMatchObject({ ok: true, detail: expect.not.stringContaining("Duo API") });
      expect(apiOff.check("ports")?.detail).toContain(`udp 127.0.0.1:${coaPort} (CoA)`);
    } finally {
      if (coaHeld) coaSquatter.close();
      await new Promise((resolve) => apiSquatter.close(resolve));
    }
  });

  it("--access-probe: a server that ignores Status-Server (as NPS does) is asked with an Access-Request instead", async () => {
    // NPS-like: silent to Status-Server, Access-Reject to everyone else.
    const nps: Socket = createSocket("udp4");
    const seen: number[] = [];
    nps.on("message", (message, rinfo) => {
      const parsed = parsePacket(message);
      if (!parsed.ok) return;
      seen.push(parsed.packet.code);
      if (parsed.packet.code !== RadiusCode.AccessRequest) return;
      const { packet } = encodeResponse({ code: RadiusCode.AccessReject, identifier: parsed.packet.identifier, requestAuthenticator: parsed.packet.authenticator, attributes: [], proxyStates: [], secret: Buffer.from("nps-secret") });
      nps.send(packet, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => nps.bind(0, "127.0.0.1", resolve));
    const application = await database.prisma.application.findFirstOrThrow();
    const server = await database.prisma.primaryAuthServer.create({
      data: { name: "nps", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: nps.address().port, secret: encryptSecret("nps-secret"), timeoutMs: 300, retries: 0, position: 1 },
    });
    try {
      const plain = await doctor();
      expect(plain.code).toBe(1);
      expect(plain.report.checks.find((entry) => entry.name.startsWith("upstream nps"))).toMatchObject({ ok: false, detail: expect.stringContaining("try --access-probe") });
      const probed = await doctor({}, ["--access-probe"]);
      expect(probed.report.checks.find((entry) => entry.name.startsWith("upstream nps"))).toMatchObject({ ok: true, detail: expect.stringContaining("answered an Access-Request for twofold-doctor (Access-Reject)") });
      expect(probed.code).toBe(0);
      expect(seen).toEqual([RadiusCode.StatusServer, RadiusCode.StatusServer, RadiusCode.AccessRequest]);
    } finally {
      nps.close();
      await database.prisma.primaryAuthServer.delete({ where: { id: server.id } });
    }
  });

  it("accepts ports held by this host's running Twofold worker", async () => {
    const worker = await startTestWorker({ databaseUrl: database.url, healthPort: 0, coaPorts: [0] });
    try {
      const ports = { TWOFOLD_RADIUS_AUTH_PORT: String(worker.authPort), TWOFOLD_RADIUS_ACCT_PORT: String(worker.acctPort), TWOFOLD_COA_PORTS: String(worker.coaPorts[0]), TWOFOLD_HEALTH_PORT: String(worker.healthPort) };
      const { code, check } = await doctor(ports);
      expect(check("ports")).toMatchObject({ ok: true, detail: expect.stringContaining(`in use by the running Twofold worker ${worker.workerId}`) });
      expect(check("ports")?.detail).toContain(`udp 127.0.0.1:${worker.coaPorts[0]} (CoA)`);
      expect(code).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it("reports an unreachable database and skips what needs it", async () => {
    const { code, report } = await doctor({ DATABASE_URL: `postgresql://postgres:x@127.0.0.1:${await freePort()}/twofold` });
    expect(code).toBe(1);
    expect(report.checks.map((entry) => [entry.name, entry.ok, entry.skipped ?? false])).toEqual([
      ["database", false, false],
      ["migrations", false, true],
      ["secret key", false, true],
      ["ports", true, false],
      ["upstream servers", false, true],
      ["clock", false, true],
    ]);
  });
});
