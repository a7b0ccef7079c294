import { hash } from "@node-rs/argon2";
import { randomBytes, randomUUID } from "node:crypto";
import { Secret } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { AppError } from "../errors/app-error";
import { decidePush } from "../push/decide-push";
import { registerPushDevice } from "../push/register-push-device";
import { createTestDevice } from "../push/test-device";
import { encryptSecret } from "../secrets/envelope";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";
import { ZPolicyInputSchema, ZPolicyPatchSchema, withUncheckedBoxes } from "./policy-form-schema";
import { resolveEffectivePolicy } from "./resolve-effective-policy";
import { savePolicy } from "./save-policy";

// Policy "when nothing is typed" for a PAP login with no code after the password: the challenge menu (the default) or
// a push to the first device at once, decided in run-second-factor. radclient plays the ASA against a real worker.
const SECRET = "nothing-typed-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let applicationId = "";
const pushFetch: typeof fetch = async () => new Response(null, { status: 201 });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "require_enrollment" });
  applicationId = application.id;
  await seedClient({ prisma: db.prisma, applicationId, secret: SECRET });
  worker = await startTestWorker({ databaseUrl: db.url, pushFetch });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

const seedUser = async (options: { push: boolean }) => {
  const username = `nt-${randomBytes(4).toString("hex")}`;
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("pw") } });
  await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(new Secret({ size: 20 }).base32), active: true } });
  const device = await createTestDevice();
  const subscription = { endpoint: `https://push.example/${username}`, keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" } };
  const registered = options.push ? await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk, subscription }) : undefined;
  const approve = async () => {
    const request = await waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined, { timeoutMs: 10_000 });
    if (!request || !registered) throw new Error("no pending push");
    const signature = await device.signDecision({ requestId: request.id, decision: "approve", number: request.verifyNumber });
    return decidePush({ prisma: db.prisma, requestId: request.id, deviceId: registered.deviceId, decision: "approve", number: request.verifyNumber, signature, now: new Date() });
  };
  return { username, userId: user.id, approve };
};

const login = (username: string) =>
  radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": username, "User-Password": "pw" }, timeoutSec: 4, retries: 6 });

// The global row and the application's override, then wait for the worker to load them.
const setPolicy = async (options: { global?: "challenge_menu" | "push_first" | null; override: "challenge_menu" | "push_first" | null }) => {
  const before = worker.configVersion();
  if (options.global !== undefined) {
    const global = await db.prisma.policy.findFirst({ where: { applicationId: null } });
    if (global) await db.prisma.policy.update({ where: { id: global.id }, data: { whenNothingTyped: options.global } });
    else await db.prisma.policy.create({ data: { applicationId: null, whenNothingTyped: options.global } });
  }
  await db.prisma.policy.update({ where: { applicationId }, data: { whenNothingTyped: options.override } });
  await waitFor(() => (worker.configVersion() > before ? true : undefined), { timeoutMs: 5000 });
};

describe("policy: when nothing is typed", () => {
  it("challenge menu (the default): the password alone gets the menu, and no push is sent", async () => {
    await setPolicy({ override: null });
    const user = await seedUser({ push: true });
    const answer = await login(user.username);
    expect(answer.code).toBe("Access-Challenge");
    expect(answer.attributes.find((attribute) => attribute.name === "Reply-Message")?.value).toMatch(/push/i);
    expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(0);
  }, 60_000);

  it("push to the first device: the password alone sends a push and the approval is the Accept; inherited from the global row too", async () => {
    for (const policy of [{ override: "push_first" as const }, { global: "push_first" as const, override: null }]) {
      await setPolicy(policy);
      const user = await seedUser({ push: true });
      const answer = login(user.username);
      expect(await user.approve()).toMatchObject({ ok: true });
      expect((await answer).code).toBe("Access-Accept");
      const event = await waitFor(async () => (await db.prisma.authEvent.findFirst({ where: { userId: user.userId } })) ?? undefined, { timeoutMs: 10_000 });
      expect(event).toMatchObject({ result: "success", reason: "valid_push", factor: "push" });
    }
    // An override saying "menu" wins over the global "push".
    await setPolicy({ override: "challenge_menu" });
    expect((await login((await seedUser({ push: true })).username)).code).toBe("Access-Challenge");
    await setPolicy({ global: null, override: null });
  }, 90_000);

  it("push to the first device, for a user without one: the menu, as before", async () => {
    await setPolicy({ override: "push_first" });
    const user = await seedUser({ push: false });
    const answer = await login(user.username);
    expect(answer.code).toBe("Access-Challenge");
    expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(0);
    await setPolicy({ override: null });
  }, 60_000);

  it("the form/API schema: the two values or inherit, nothing else; a whole policy must say it; resolution override → global → default", async () => {
    const whole = (value: unknown) => ZPolicyInputSchema.safeParse(withUncheckedBoxes({ newUserPolicy: "", usernameNormalization: "", failMode: "", lockoutThreshold: "", autoUnlockMinutes: "", challengeTimeoutSec: "", maxChallengeAttempts: "", pushTimeoutSec: "", pushRateLimitPerHour: "", authorizedNetworks: "", whenNothingTyped: value }));
    expect(whole("push_first").data?.whenNothingTyped).toBe("push_first");
    expect(whole("inherit").data?.whenNothingTyped).toBeNull();
    expect(whole("").data?.whenNothingTyped).toBeNull();
    for (const hostile of ["PUSH_FIRST", "push_first\u0000", " push_first", "ｐｕｓｈ_first", "push", 1, true, "x".repeat(10_000)]) expect(whole(hostile).success, String(hostile)).toBe(false);
    const missing = withUncheckedBoxes({ newUserPolicy: "", usernameNormalization: "", failMode: "", lockoutThreshold: "", autoUnlockMinutes: "", challengeTimeoutSec: "", maxChallengeAttempts: "", pushTimeoutSec: "", pushRateLimitPerHour: "", authorizedNetworks: "" });
    expect(ZPolicyInputSchema.safeParse(missing).error?.issues.map((issue) => issue.path.join("."))).toContain("whenNothingTyped");
    expect(ZPolicyPatchSchema.parse({ whenNothingTyped: "push_first" })).toEqual({ whenNothingTyped: "push_first" });
    const row = (value: "challenge_menu" | "push_first" | null) => ({ applicationId: null, newUserPolicy: null, usernameNormalization: null, allowedFactors: [], allowedFactorsInherit: true, lockoutThreshold: null, autoUnlockMinutes: null, failMode: null, challengeTimeoutSec: null, maxChallengeAttempts: null, pushTimeoutSec: null, pushRateLimitPerHour: null, verifiedPush: null, whenNothingTyped: value, authorizedNetworks: [], authorizedNetworksInherit: true });
    expect(resolveEffectivePolicy({}).whenNothingTyped).toBe("challenge_menu");
    expect(resolveEffectivePolicy({ global: row("push_first"), application: row(null) }).whenNothingTyped).toBe("push_first");
    expect(resolveEffectivePolicy({ global: row("push_first"), application: row("challenge_menu") }).whenNothingTyped).toBe("challenge_menu");
  });

  it("saved through savePolicy: audited, a bad value refused", async () => {
    const admin = await db.prisma.admin.create({ data: { email: `nt-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
    const actor = { adminId: admin.id, email: admin.email };
    await savePolicy({ prisma: db.prisma, actor, applicationId, input: { whenNothingTyped: "push_first" }, mode: "patch" });
    expect((await db.prisma.policy.findUniqueOrThrow({ where: { applicationId } })).whenNothingTyped).toBe("push_first");
    const audit = await db.prisma.adminAuditEvent.findFirst({ where: { action: "policy.save_override", targetId: applicationId }, orderBy: { createdAt: "desc" } });
    expect(JSON.stringify(audit?.after)).toContain("push_first");
    const error = await savePolicy({ prisma: db.prisma, actor, applicationId, input: { whenNothingTyped: "always" }, mode: "patch" }).catch((caught: unknown) => caught);
    expect(AppError.is(error) && error.code).toBe("VALIDATION");
    await db.prisma.policy.update({ where: { applicationId }, data: { whenNothingTyped: null } });
  });
});
