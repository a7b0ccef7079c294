import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { HOTP, Secret } from "otpauth";
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { encryptSecret } from "../lib/secrets/envelope";
import { runDuoPython } from "../lib/testing/duo-python-client";
import { radclient } from "../lib/testing/radclient";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { canMountTmpfs, mountTinyTmpfs, type TTinyTmpfs } from "../lib/testing/tiny-tmpfs";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

// Issue 9, item 8, when the disk under the spool is full: the journal cannot take the event of a login that passed
// both factors, so there would be no durable record of it. That login must not get an Access-Accept: it gets an
// `error` reject, logged best effort, counted and shown on /health; once the disk has room again logins are accepted.
const SECRET = "full-disk-nas-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let disk: TTinyTmpfs;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const token = new Secret({ size: 20 });
const username = "dana";
const API_IKEY = `DI${randomBytes(9).toString("hex").toUpperCase()}`;
const API_SKEY = randomBytes(20).toString("hex");
let apiApp: { id: string };

beforeAll(async () => {
  if (!canMountTmpfs) return;
  disk = mountTinyTmpfs({ sizeKiB: 1024 });
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local", factorEntry: "append", newUserPolicy: "deny" });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("dana-pass") } });
  await db.prisma.authenticator.create({ data: { userId: user.id, kind: "hotp", serial: `full-disk-${user.id}`, secret: encryptSecret(token.base32), active: true } });
  apiApp = await db.prisma.application.create({ data: { name: "full-disk-api", kind: "auth_api", ikey: API_IKEY, skey: encryptSecret(API_SKEY), primaryAuthMode: "none", factorEntry: "both" } });
  await db.prisma.policy.create({ data: { applicationId: apiApp.id, newUserPolicy: "deny" } });
  worker = await startTestWorker({ databaseUrl: db.url, dataDir: disk.dir, healthPort: 0, api: { port: 0, host: "127.0.0.1" } });
}, 60_000);

afterAll(async () => {
  disk?.free();
  await worker?.stop();
  await db?.drop();
  disk?.unmount();
});

const login = (counter: number) =>
  radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": username, "User-Password": `dana-pass,${HOTP.generate({ secret: token, counter })}` }, timeoutSec: 5 });
const health = async () => (await (await fetch(`http://127.0.0.1:${worker.healthPort}/health`)).json()) as { counters: { authLog: { journalFailed: number; journalFailing: boolean } } };
// The live journal empty on disk (every event in the database): its next append needs a page the full disk lacks.
const journalEmpty = () => {
  const spool = path.join(disk.dir, "spool");
  const live = readdirSync(spool).filter((name) => name.startsWith("auth-events-") && name.endsWith(".jsonl") && !name.includes(".replaying"));
  return live.length > 0 && live.every((name) => statSync(path.join(spool, name)).size === 0) ? true : undefined;
};

it.skipIf(!canMountTmpfs)("answers a correct password and code with an error reject while the journal cannot be written, and accepts again after", { timeout: 60_000 }, async () => {
  const before = await login(0);
  expect(before.code, before.stdout).toBe("Access-Accept");
  expect(await waitFor(journalEmpty, { timeoutMs: 8000 })).toBe(true);

  disk.fill();
  const refused = await login(1);
  expect(refused.code, refused.stdout).toBe("Access-Reject");
  expect(refused.attributes.find((attr) => attr.name === "Reply-Message")?.value).toMatch(/error/i);
  expect(refused.attributes.find((attr) => attr.name === "Class")).toBeUndefined();
  const shown = await health();
  expect(shown.counters.authLog.journalFailed).toBeGreaterThanOrEqual(1);
  expect(shown.counters.authLog.journalFailing).toBe(true);
  const metrics = await (await fetch(`http://127.0.0.1:${worker.healthPort}/metrics`)).text();
  expect(metrics).toMatch(/^twofold_spool_journal_failing\{log="auth"\} 1$/m);
  // The reject's own event reached the database from memory, naming the decision it replaced.
  const logged = await waitFor(async () => (await db.prisma.authEvent.findMany({ where: { username }, orderBy: { id: "asc" } })).slice(1).at(0), { timeoutMs: 8000 });
  expect(logged).toMatchObject({ result: "error", reason: "error", factor: "hotp" });
  expect(logged?.attributes).toMatchObject({ detail: expect.stringMatching(/journal write failed: .*ENOSPC/), refused: { result: "success", reason: "valid_passcode" } });

  disk.free();
  const after = await login(2);
  expect(after.code, after.stdout).toBe("Access-Accept");
  expect((await health()).counters.authLog.journalFailing).toBe(false);
  const rows = await waitFor(async () => {
    const found = await db.prisma.authEvent.findMany({ where: { username }, orderBy: { id: "asc" } });
    return found.length >= 3 ? found : undefined;
  }, { timeoutMs: 8000 });
  // Exactly what the NAS was told, and no Accept the NAS never received.
  expect(rows?.map((row) => [row.result, row.reason])).toEqual([
    ["success", "valid_passcode"],
    ["error", "error"],
    ["success", "valid_passcode"],
  ]);
});

// The Duo-compatible API keeps the same promise: an allow it cannot journal is an error deny, recorded as such.
it.skipIf(!canMountTmpfs)("the Duo API denies a correct passcode while the journal cannot be written, and allows again after", { timeout: 60_000 }, async () => {
  const port = worker.api?.port;
  const ca = worker.api?.caFile;
  if (!port || !ca) throw new Error("the worker did not start its API");
  const auth = async (counter: number) => {
    const [result] = await runDuoPython({ ikey: API_IKEY, skey: API_SKEY, host: "localhost", port, ca, calls: [{ method: "auth", kwargs: { username, factor: "passcode", passcode: HOTP.generate({ secret: token, counter }) } }] });
    if (!result?.ok || !("value" in result)) throw new Error(`auth failed: ${JSON.stringify(result)}`);
    return result.value as { result: string; status_msg: string };
  };
  expect(await waitFor(journalEmpty, { timeoutMs: 8000 })).toBe(true);
  disk.fill();
  const refused = await auth(3);
  expect(refused.result).toBe("deny");
  disk.free();
  expect((await auth(4)).result).toBe("allow");
  const rows = await waitFor(async () => {
    const found = await db.prisma.authEvent.findMany({ where: { username, applicationId: apiApp.id }, orderBy: { id: "asc" } });
    return found.length >= 2 ? found : undefined;
  }, { timeoutMs: 8000 });
  expect(rows?.map((row) => [row.result, row.reason])).toEqual([
    ["error", "error"],
    ["success", "valid_passcode"],
  ]);
});
