import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { waitFor } from "../../worker/test-support/wait-for";
import { generateBypassCodes } from "../factors/generate-bypass-codes";
import { decidePush } from "../push/decide-push";
import type { TPushDecision } from "../push/push-schemas";
import { registerPushDevice } from "../push/register-push-device";
import { createTestDevice } from "../push/test-device";
import { encryptSecret } from "../secrets/envelope";
import { createFakePushService } from "../testing/fake-push-service";
import { startTestWorker } from "../testing/start-test-worker";

// A worker serving the Duo-compatible API on an ephemeral port over its own database, an Auth API application with a
// known skey, and helpers to seed users the way the console would (TOTP, a push device, bypass codes, a lockout).
export const startApiFixture = async (options: { newUserPolicy?: "require_enrollment" | "allow_without_2fa" | "deny"; verifiedPush?: boolean; drainMs?: number } = {}) => {
  const db = await createIsolatedDatabase();
  const skey = randomBytes(20).toString("hex");
  const ikey = `DI${randomBytes(9).toString("hex").toUpperCase()}`;
  const application = await db.prisma.application.create({
    data: { name: `api-${randomBytes(4).toString("hex")}`, kind: "auth_api", ikey, skey: encryptSecret(skey), primaryAuthMode: "none", factorEntry: "both" },
  });
  await db.prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: options.newUserPolicy ?? "require_enrollment", verifiedPush: options.verifiedPush ?? null } });
  const { pushed, pushFetch } = createFakePushService();
  const worker = await startTestWorker({ databaseUrl: db.url, pushFetch, enrollmentBaseUrl: "https://twofold.test", api: { port: 0, host: "127.0.0.1", drainMs: options.drainMs } });
  if (!worker.api?.caFile) throw new Error("the worker did not start its API");
  const api = { host: "localhost", port: worker.api.port, ca: worker.api.caFile };

  const seedUser = async (seed: { totp?: boolean; push?: boolean; bypassCodes?: boolean; status?: "active" | "locked_out" | "disabled" } = {}) => {
    const username = `api-${randomBytes(4).toString("hex")}`;
    const user = await db.prisma.user.create({ data: { username, status: seed.status ?? "active", lockedAt: seed.status === "locked_out" ? new Date() : null } });
    const secret = new Secret({ size: 20 });
    if (seed.totp) await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(secret.base32), active: true } });
    const device = seed.push ? await createTestDevice() : undefined;
    const deviceId = device
      ? (await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk, subscription: { endpoint: `https://push.example/${username}`, keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" } } })).deviceId
      : undefined;
    const bypass = seed.bypassCodes ? (await generateBypassCodes({ prisma: db.prisma, userId: user.id, createdBy: "test", input: { count: 1 } })).codes : [];
    const pending = () => waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined, { timeoutMs: 15_000 });
    // The phone's answer, signed by the device key exactly as the authenticator app signs it.
    const decide = async (decision: TPushDecision) => {
      const request = await pending();
      if (!request || !device || !deviceId) throw new Error("no pending push");
      const signature = await device.signDecision({ requestId: request.id, decision, number: request.verifyNumber });
      return decidePush({ prisma: db.prisma, requestId: request.id, deviceId, decision, number: request.verifyNumber, signature, now: new Date() });
    };
    return { username, userId: user.id, deviceId, bypass, pending, decide, code: () => TOTP.generate({ secret }) };
  };

  const events = (userIdOrName: string, count: number) =>
    waitFor(async () => {
      const rows = await db.prisma.authEvent.findMany({ where: { OR: [{ username: userIdOrName }, ...(/^[0-9a-f-]{36}$/.test(userIdOrName) ? [{ userId: userIdOrName }] : [])] }, orderBy: { id: "asc" } });
      return rows.length >= count ? rows : undefined;
    }, { timeoutMs: 10_000 });

  return {
    db,
    worker,
    application,
    ikey,
    skey,
    api,
    pushed,
    seedUser,
    events,
    stop: async () => {
      await worker.stop();
      await db.drop();
    },
  };
};
export type TApiFixture = Awaited<ReturnType<typeof startApiFixture>>;
