import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfigPrisma } from "../config/create-config-prisma";
import type { TPrisma } from "../db";
import { encryptSecret } from "../secrets/envelope";
import { runDuoPython, type TDuoPythonResult } from "../testing/duo-python-client";
import { startTestWorker } from "../testing/start-test-worker";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../testing/test-database";
import { waitFor } from "../../worker/test-support/wait-for";

// The Auth API while PostgreSQL is down. Duo's clients apply their OWN fail mode to a 5xx or a 401 (the Authentication
// Proxy and login_duo with failmode=safe let the user in), so the answer must stay Twofold's: an explicit allow
// under the application's fail mode "safe", an explicit deny under "secure", never a 5xx. And the event is kept.
let database: TRestartableTestDatabase;
let prisma: TPrisma;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const apps: Record<"safe" | "secure", { ikey: string; skey: string }> = { safe: { ikey: "", skey: "" }, secure: { ikey: "", skey: "" } };
const secret = new Secret({ size: 20 });
const username = `outage-${randomBytes(3).toString("hex")}`;

beforeAll(async () => {
  database = await startRestartableTestDatabase();
  prisma = createConfigPrisma({ databaseUrl: database.url });
  for (const failMode of ["safe", "secure"] as const) {
    const skey = randomBytes(20).toString("hex");
    const ikey = `DI${randomBytes(9).toString("hex").toUpperCase()}`;
    const application = await prisma.application.create({ data: { name: `api-outage-${failMode}-${randomBytes(3).toString("hex")}`, kind: "auth_api", ikey, skey: encryptSecret(skey), primaryAuthMode: "none", factorEntry: "both" } });
    await prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: "deny", failMode } });
    apps[failMode] = { ikey, skey };
  }
  const user = await prisma.user.create({ data: { username } });
  await prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(secret.base32), active: true } });
  worker = await startTestWorker({ databaseUrl: database.url, enrollmentBaseUrl: "https://twofold.test", api: { port: 0, host: "127.0.0.1" } });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect();
  await database?.stop();
});

const auth = async (failMode: "safe" | "secure", passcode: string): Promise<TDuoPythonResult | undefined> => {
  if (!worker.api?.caFile) throw new Error("the worker did not start its API");
  const [result] = await runDuoPython({ ...apps[failMode], host: "localhost", port: worker.api.port, ca: worker.api.caFile, calls: [{ method: "auth", args: ["passcode"], kwargs: { username, passcode } }] });
  return result;
};

describe("Auth API during a database outage", () => {
  it("answers allow under fail mode safe and deny under secure, never a 5xx, and stores both events once the database is back", { timeout: 180_000 }, async () => {
    // Before: a wrong code is a plain deny, for both.
    expect(await auth("safe", "000000")).toMatchObject({ ok: true, value: { result: "deny" } });
    await prisma.$disconnect();
    await database.pause();
    const safe = await auth("safe", TOTP.generate({ secret }));
    const secure = await auth("secure", TOTP.generate({ secret }));
    expect(safe).toMatchObject({ ok: true, value: { result: "allow" } });
    expect(secure).toMatchObject({ ok: true, value: { result: "deny" } });
    await database.resume();
    const rows = await waitFor(async () => {
      const found = await prisma.authEvent.findMany({ where: { username }, orderBy: { id: "asc" }, select: { reason: true } }).catch(() => []);
      return found.length >= 3 ? found : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    expect(rows?.map((row) => row.reason).sort()).toEqual(["failmode_safe", "failmode_secure", "invalid_passcode"]);
  });
});
