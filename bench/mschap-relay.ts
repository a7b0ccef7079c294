// `npx tsx bench/mschap-relay.ts`: MS-CHAPv2 logins (BENCH_LOGINS, default 2,000; BENCH_CONCURRENCY, default 50)
// relayed to FreeRADIUS's rlm_mschap, once through a Twofold worker (MPPE keys decrypted and re-hidden, the event
// journaled) and once through a FreeRADIUS proxy (which re-hides the keys too), in the same process tree: the ratio is
// what counts on a shared machine. Also the cost of trying one passcode against an NT-Response (a challenge round
// tries the TOTP window, three codes, and ten menu choices), and the same logins as PAP through Twofold.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { createNtResponseProof } from "../lib/radius/mschap/create-nt-response-proof";
import { encryptPassword } from "../lib/radius/password";
import { readMschapRequest } from "../lib/radius/mschap/read-mschap-request";
import { createUpstreamTransport } from "../lib/radius/upstream/create-upstream-transport";
import { encryptSecret } from "../lib/secrets/envelope";
import { startFreeRadius } from "../lib/testing/freeradius";
import { mschapV2Attributes } from "../lib/testing/mschap-client";
import { startTestDatabase } from "../lib/testing/test-database";
import { startWorker } from "../worker/start-worker";

const LOGINS = Number(process.env.BENCH_LOGINS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const NAS = "bench-nas-secret";
const UP = "bench-up-secret";

const run = async (label: string, port: number, pap = false): Promise<number> => {
  const nas = await createUpstreamTransport({ bindAddress: "127.0.0.1" });
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < LOGINS) {
        next += 1;
        const attempt = mschapV2Attributes({ userName: "alice", password: "alice-pass" });
        const result = await nas.exchange({
          target: { host: "127.0.0.1", port, secret: Buffer.from(NAS) },
          code: RadiusCode.AccessRequest,
          attributes: (authenticator) => [
            { type: Attr.UserName, value: Buffer.from("alice") },
            ...(pap ? [{ type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from("alice-pass"), secret: Buffer.from(NAS), authenticator }) }] : attempt.attributes),
          ],
          timeoutMs: 5000,
          retries: 0,
        });
        if (result.ok && result.packet.code === RadiusCode.AccessAccept) accepted += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await nas.close();
  const rate = LOGINS / seconds;
  console.log(`${label}: ${LOGINS} logins (${accepted} accepted) in ${seconds.toFixed(2)} s = ${rate.toFixed(0)}/s`);
  return rate;
};

const main = async () => {
  const attempt = mschapV2Attributes({ userName: "alice", password: "123456" });
  const read = readMschapRequest(attempt.attributes);
  if (!read?.ok) throw new Error("unreadable");
  const proof = createNtResponseProof({ mschap: read.mschap, userName: Buffer.from("alice") });
  const tries = 20_000;
  const t = performance.now();
  for (let i = 0; i < tries; i += 1) proof.matches(String(100000 + i));
  console.log(`one candidate against an NT-Response: ${(((performance.now() - t) * 1000) / tries).toFixed(1)} µs`);

  const upstream = await startFreeRadius({ secret: UP, mschap: {}, countRequests: false, users: [{ username: "alice", password: "alice-pass" }] });
  const proxy = await startFreeRadius({ secret: NAS, mode: "proxy", countRequests: false, proxyTo: { host: "127.0.0.1", authPort: upstream.authPort, secret: UP } });
  const database = await startTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const prisma = createConfigPrisma({ databaseUrl: database.url, max: 4 });
  const application = await prisma.application.create({ data: { name: "bench-mschap", ikey: "BENCHMSCHAPBENCHMS00", skey: encryptSecret("x".repeat(40)), primaryAuthMode: "radius", factorEntry: "both" } });
  await prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: "allow_without_2fa" } });
  await prisma.primaryAuthServer.create({ data: { name: "ise", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: upstream.authPort, secret: encryptSecret(UP), timeoutMs: 5000, retries: 0, position: 0 } });
  await prisma.radiusClient.create({ data: { name: "bench-nas", address: "127.0.0.1", secret: encryptSecret(NAS), applicationId: application.id } });
  const worker = await startWorker({ databaseUrl: database.url, host: "127.0.0.1", authPort: 0, acctPort: 0, dataDir: mkdtempSync(path.join(tmpdir(), "bench-mschap-")), log: () => undefined });
  try {
    await run("warm-up, Twofold", worker.authPort);
    const baseline = await run("FreeRADIUS proxy", proxy.authPort);
    const twofold = await run("Twofold worker", worker.authPort);
    const pap = await run("Twofold worker, the same logins as PAP", worker.authPort, true);
    console.log(`ratio Twofold / FreeRADIUS proxy: ${(twofold / baseline).toFixed(2)}; MS-CHAPv2 / PAP through Twofold: ${(twofold / pap).toFixed(2)}`);
  } finally {
    await worker.stop();
    await prisma.$disconnect();
    await proxy.stop();
    await upstream.stop();
    await database.stop();
  }
};
void main();
