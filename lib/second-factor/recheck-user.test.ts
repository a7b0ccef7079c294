import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { decidePush } from "../push/decide-push";
import { registerPushDevice } from "../push/register-push-device";
import { createTestDevice } from "../push/test-device";
import { encryptSecret } from "../secrets/envelope";
import { holdRowLock } from "../testing/hold-row-lock";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";
import { waitUntilServing } from "../testing/wait-until-serving";

// A decision takes effect only if the user may still sign in at that moment: an admin disabling or locking the user
// while a push is pending, between challenge rounds or while a passcode is being checked wins over the factor.
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const SECRET = "recheck-secret";
let applicationId = "";
const pushFetch: typeof fetch = async () => new Response(null, { status: 201 });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "deny" });
  applicationId = application.id;
  await seedClient({ prisma: db.prisma, applicationId, secret: SECRET });
  worker = await startTestWorker({ databaseUrl: db.url, pushFetch });
  await waitUntilServing({ ports: [worker.authPort], secret: SECRET });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

const seedUser = async (options: { push?: boolean; totp?: boolean }) => {
  const username = `recheck-${randomBytes(4).toString("hex")}`;
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("pw") } });
  const device = await createTestDevice();
  const pushDevice = options.push ? await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk }) : undefined;
  const secret = new Secret({ size: 20 });
  const totp = options.totp ? await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(secret.base32), active: true } }) : undefined;
  const approve = async () => {
    const request = await waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined, { timeoutMs: 10_000 });
    if (!request || !pushDevice) throw new Error("no pending push");
    const signature = await device.signDecision({ requestId: request.id, decision: "approve", number: request.verifyNumber });
    const result = await decidePush({ prisma: db.prisma, requestId: request.id, deviceId: pushDevice.deviceId, decision: "approve", number: request.verifyNumber, signature, now: new Date() });
    expect(result).toEqual({ ok: true, status: "approved" });
    return request;
  };
  const pending = () => waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined, { timeoutMs: 10_000 });
  const setStatus = (status: "disabled" | "locked_out") => db.prisma.user.update({ where: { id: user.id }, data: { status, lockedAt: status === "locked_out" ? new Date() : null } });
  return { username, userId: user.id, approve, pending, setStatus, totpId: totp?.id, code: () => TOTP.generate({ secret }) };
};

const login = (options: { username: string; password: string; state?: string }) =>
  radclient({
    port: worker.authPort,
    secret: SECRET,
    attributes: { "User-Name": options.username, "User-Password": options.password, "Calling-Station-Id": "198.51.100.7" },
    rawAttributes: options.state ? [`State = ${options.state}`] : [],
    timeoutSec: 4,
    retries: 6,
  });

const lastReason = async (userId: string, count: number) =>
  (await waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { userId }, orderBy: [{ time: "asc" }, { id: "asc" }] });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 10_000 }))?.at(-1)?.reason;

const stateOf = (result: Awaited<ReturnType<typeof radclient>>) => result.attributes.find((a) => a.name === "State")?.value;

const changePolicy = async (data: { verifiedPush: boolean | null }) => {
  const before = worker.configVersion();
  await db.prisma.policy.update({ where: { applicationId }, data });
  await waitFor(() => (worker.configVersion() > before ? true : undefined), { timeoutMs: 5000 });
};

describe("push approved after the user changed", () => {
  it("disabled while the push was pending → Access-Reject user_disabled", async () => {
    const user = await seedUser({ push: true });
    const reply = login({ username: user.username, password: "pw,push" });
    await user.pending();
    await user.setStatus("disabled");
    await user.approve();
    expect((await reply).code).toBe("Access-Reject");
    expect(await lastReason(user.userId, 1)).toBe("user_disabled");
  });

  it("locked while the push was pending → Access-Reject locked_out", async () => {
    const user = await seedUser({ push: true });
    const reply = login({ username: user.username, password: "pw,push" });
    await user.pending();
    await user.setStatus("locked_out");
    await user.approve();
    expect((await reply).code).toBe("Access-Reject");
    expect(await lastReason(user.userId, 1)).toBe("locked_out");
  });

  it("verified push: approved, then disabled before the number is typed → Access-Reject user_disabled", async () => {
    await changePolicy({ verifiedPush: true });
    try {
      const user = await seedUser({ push: true });
      const challenge = await login({ username: user.username, password: "pw,push" });
      expect(challenge.code).toBe("Access-Challenge");
      const request = await user.approve();
      await user.setStatus("disabled");
      expect((await login({ username: user.username, password: request.verifyNumber ?? "", state: stateOf(challenge) })).code).toBe("Access-Reject");
      expect(await lastReason(user.userId, 2)).toBe("user_disabled");
    } finally {
      await changePolicy({ verifiedPush: null });
    }
  });
});

describe("challenge answer after the user changed", () => {
  it("disabled between the rounds → the right passcode is rejected user_disabled", async () => {
    const user = await seedUser({ totp: true });
    const challenge = await login({ username: user.username, password: "pw" });
    expect(challenge.code).toBe("Access-Challenge");
    await user.setStatus("disabled");
    expect((await login({ username: user.username, password: user.code(), state: stateOf(challenge) })).code).toBe("Access-Reject");
    expect(await lastReason(user.userId, 2)).toBe("user_disabled");
  });

  it("disabled while the right passcode is being consumed → rejected user_disabled, the passcode not spent", async () => {
    const user = await seedUser({ totp: true });
    const challenge = await login({ username: user.username, password: "pw" });
    expect(challenge.code).toBe("Access-Challenge");
    // The worker reads the user (active), then parks on the authenticator row; the admin disables the user meanwhile.
    const lock = await holdRowLock({ databaseUrl: db.url, table: "Authenticator", id: user.totpId ?? "" });
    const reply = login({ username: user.username, password: user.code(), state: stateOf(challenge) });
    try {
      expect(await lock.waitUntilBlocking()).toBe(true);
      await user.setStatus("disabled");
    } finally {
      await lock.release();
    }
    expect((await reply).code).toBe("Access-Reject");
    expect(await lastReason(user.userId, 2)).toBe("user_disabled");
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).status).toBe("disabled");
    expect((await db.prisma.authenticator.findUniqueOrThrow({ where: { id: user.totpId ?? "" } })).lastUsedStep).toBeNull();
  });
});
