// The Admin API's /admin/v2/logs/authentication on a seeded million-row AuthEvent table: the first page and a page
// ~900,000 rows deep (keyset on (time, id)), through a worker's HTTPS API signed by @duosecurity/duo_api, and the
// same query with OFFSET for scale. `npx tsx bench/admin-log-paging.ts`
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import https from "node:https";
import { Client } from "@duosecurity/duo_api";
import { startTestDatabase } from "../lib/testing/test-database";

const main = async () => {
  const db = await startTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.TWOFOLD_SECRET_KEY = randomBytes(32).toString("base64");
  const { prisma, disconnectPrisma } = await import("../lib/db");
  const { encryptSecret } = await import("../lib/secrets/envelope");
  const { startTestWorker } = await import("../lib/testing/start-test-worker");
  const skey = randomBytes(20).toString("hex");
  const ikey = `DI${randomBytes(9).toString("hex").toUpperCase()}`;
  const app = await prisma.application.create({ data: { name: "siem", kind: "admin_api", ikey, skey: encryptSecret(skey), primaryAuthMode: "none" } });
  let t = performance.now();
  await prisma.$executeRawUnsafe(`INSERT INTO "AuthEvent" ("eventId","time","usernameRaw","username","result","reason","factor","workerId","applicationId","callingStationId")
    SELECT gen_random_uuid(), now() - (g || ' seconds')::interval, 'user' || (g % 5000), 'user' || (g % 5000),
      (CASE WHEN g % 7 = 0 THEN 'failure' ELSE 'success' END)::"AuthResult", CASE WHEN g % 7 = 0 THEN 'invalid_passcode' ELSE 'valid_push' END,
      CASE WHEN g % 7 = 0 THEN 'passcode' ELSE 'push' END, 'bench', '${app.id}'::uuid, '198.51.100.' || (g % 250)
    FROM generate_series(1, 1000000) g`);
  await prisma.$executeRawUnsafe(`ANALYZE "AuthEvent"`);
  console.log(`seeded 1,000,000 rows in ${Math.round(performance.now() - t)} ms`);
  const worker = await startTestWorker({ databaseUrl: db.url, api: { port: 0, host: "127.0.0.1" } });
  https.globalAgent = new https.Agent({ ca: readFileSync(worker.api?.caFile ?? "", "utf8"), port: worker.api?.port, keepAlive: true });
  const client = new Client(ikey, skey, "localhost");
  const get = (params: Record<string, string>) => new Promise<unknown>((resolve) => client.jsonApiCall("GET", "/admin/v2/logs/authentication", params, resolve));
  const now = Date.now();
  const window = { mintime: String(now - 30 * 86_400_000), maxtime: String(now + 60_000), limit: "1000" };
  const deep = await prisma.$queryRawUnsafe<{ time: Date; id: bigint }[]>(`SELECT "time", id FROM "AuthEvent" ORDER BY "time" DESC, id DESC OFFSET 900000 LIMIT 1`);
  const offset = deep[0] ? `${deep[0].time.getTime()},${deep[0].id}` : "";
  const time = async (label: string, run: () => Promise<unknown>) => {
    await run();
    const samples: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      t = performance.now();
      await run();
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    console.log(`${label}: median ${samples[10]?.toFixed(1)} ms, p95 ${samples[18]?.toFixed(1)} ms`);
    return samples[10] ?? 0;
  };
  const first = await time("HTTPS, first page of 1000", () => get(window));
  const keyset = await time("HTTPS, page of 1000 after row 900,000 (next_offset)", () => get({ ...window, next_offset: offset }));
  const byOffset = await time("SQL only, OFFSET 900000 LIMIT 1000 for comparison", () => prisma.authEvent.findMany({ orderBy: [{ time: "desc" }, { id: "desc" }], skip: 900_000, take: 1000 }));
  console.log(`deep/first = ${(keyset / first).toFixed(2)}; OFFSET/deep keyset = ${(byOffset / keyset).toFixed(1)}`);
  await worker.stop();
  await disconnectPrisma();
  await db.stop();
};
void main();
