import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replyMessageFor } from "../auth-log/reason-messages";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { createConfigPrisma } from "../config/create-config-prisma";
import type { TPrisma } from "../db";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";
import { waitUntilServing } from "../testing/wait-until-serving";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../testing/test-database";

// Fail mode through the real worker with PostgreSQL stopped: the policy comes from the worker's snapshot, the
// decision is made without the database, and the AuthEvent (spooled meanwhile) carries the fail-mode reason.
let database: TRestartableTestDatabase;
let prisma: TPrisma;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let applicationId = "";

beforeAll(async () => {
  database = await startRestartableTestDatabase();
  prisma = createConfigPrisma({ databaseUrl: database.url });
  // Primary "none" (the NAS did it): the only thing left to decide is the second factor.
  const application = await seedApplication({ prisma, primaryAuthMode: "none", factorEntry: "append", newUserPolicy: "require_enrollment" });
  applicationId = application.id;
  await seedClient({ prisma, applicationId, secret: "failmode-secret" });
  worker = await startTestWorker({ databaseUrl: database.url });
  await waitUntilServing({ ports: [worker.authPort], secret: "failmode-secret", timeoutMs: 10_000 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect().catch(() => undefined);
  await database?.stop();
});

const loginWhileDown = async (username: string) => {
  await database.pause();
  try {
    return await radclient({ port: worker.authPort, secret: "failmode-secret", attributes: { "User-Name": username, "User-Password": "pw,123456" }, timeoutSec: 20 });
  } finally {
    await database.resume();
  }
};

const reasonOf = (username: string) =>
  waitFor(async () => (await prisma.authEvent.findFirst({ where: { username }, orderBy: { id: "desc" } }))?.reason, { timeoutMs: 20_000, intervalMs: 250 });

const setFailMode = async (failMode: "safe" | "secure") => {
  const before = worker.configVersion();
  await prisma.policy.update({ where: { applicationId }, data: { failMode } });
  expect(await waitFor(() => (worker.configVersion() > before ? true : undefined), { timeoutMs: 5000 })).toBe(true);
};

describe("fail mode with PostgreSQL stopped", () => {
  it("safe: accepted after primary, logged failmode_safe", async () => {
    await setFailMode("safe");
    const result = await loginWhileDown("fm-safe-user");
    expect(result.code).toBe("Access-Accept");
    // An Accept carries no Reply-Message (lib/auth-log/reason-messages.ts).
    expect(result.attributes.filter((a) => a.name === "Reply-Message")).toEqual([]);
    expect(await reasonOf("fm-safe-user")).toBe("failmode_safe");
  }, 120_000);

  it("secure: rejected, logged failmode_secure", async () => {
    await setFailMode("secure");
    const result = await loginWhileDown("fm-secure-user");
    expect(result.code).toBe("Access-Reject");
    expect(result.attributes.filter((a) => a.name === "Reply-Message").map((a) => a.value).join("")).toBe(replyMessageFor({ reason: "failmode_secure" }));
    expect(await reasonOf("fm-secure-user")).toBe("failmode_secure");
  }, 120_000);
});
