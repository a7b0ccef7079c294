// Keyset pagination on a seeded million-row AuthEvent table (throwaway database).
import { randomBytes } from "node:crypto";
import { startTestDatabase } from "../lib/testing/test-database";

const main = async () => {
  const db = await startTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.TWOFOLD_SECRET_KEY = randomBytes(32).toString("base64");
  const { prisma, disconnectPrisma } = await import("../lib/db");
  const { queryAuthEvents, decodeCursor } = await import("../lib/auth-log/query-auth-events");
  let t = performance.now();
  await prisma.$executeRawUnsafe(`INSERT INTO "AuthEvent" ("eventId","time","usernameRaw","username","result","reason","workerId","clientName")
    SELECT gen_random_uuid(), now() - (g || ' seconds')::interval, 'user' || (g % 5000), 'user' || (g % 5000),
      (CASE WHEN g % 7 = 0 THEN 'failure' ELSE 'success' END)::"AuthResult", CASE WHEN g % 7 = 0 THEN 'invalid_passcode' ELSE 'valid_passcode' END, 'bench', 'asa-' || (g % 3)
    FROM generate_series(1, 1000000) g`);
  await prisma.$executeRawUnsafe(`ANALYZE "AuthEvent"`);
  console.log(`seeded 1,000,000 rows in ${Math.round(performance.now() - t)} ms`);
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
  };
  await time("first page, no filter", () => queryAuthEvents({ prisma, filter: {}, take: 50 }));
  // Walk to a deep cursor (row ~900k) and time the page after it.
  const deep = await prisma.$queryRawUnsafe<{ time: Date; id: bigint }[]>(`SELECT "time", id FROM "AuthEvent" ORDER BY "time" DESC, id DESC OFFSET 900000 LIMIT 1`);
  const cursor = deep[0] ? { time: deep[0].time, id: deep[0].id } : undefined;
  await time("page after row 900,000 (keyset)", () => queryAuthEvents({ prisma, filter: {}, before: cursor, take: 50 }));
  await time("user filter, first page", () => queryAuthEvents({ prisma, filter: { user: "user42" }, take: 50 }));
  await time("user filter, deep page", () => queryAuthEvents({ prisma, filter: { user: "user42" }, before: cursor, take: 50 }));
  await time("result=failure filter, first page", () => queryAuthEvents({ prisma, filter: { result: "failure" }, take: 50 }));
  await time("OFFSET 900000 for comparison", () => prisma.authEvent.findMany({ orderBy: [{ time: "desc" }, { id: "desc" }], skip: 900000, take: 50 }));
  void decodeCursor;
  await disconnectPrisma();
  await db.stop();
};
void main();
