import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { encryptSecret } from "../secrets/envelope";
import { createFakePushService } from "../testing/fake-push-service";
import { radclient } from "../testing/radclient";
import { startWorkerPair } from "../testing/start-worker-pair";
import { decidePush } from "./decide-push";
import type { TPushDecision } from "./push-schemas";
import { registerPushDevice } from "./register-push-device";
import { createTestDevice } from "./test-device";

// Push through two real workers: radclient as the ASA, the phone played by a WebCrypto key pair signing real
// decisions. Web Push requests are counted at a fake push service (the workers' fetch), one per device per push.
let pair: Awaited<ReturnType<typeof startWorkerPair>> | undefined;
let db: Awaited<ReturnType<typeof startWorkerPair>>["db"];
let workerA: Awaited<ReturnType<typeof startWorkerPair>>["workerA"];
let workerB: Awaited<ReturnType<typeof startWorkerPair>>["workerB"];
const SECRET = "push-integration-secret";
let applicationId = "";
const { pushed, pushFetch } = createFakePushService();

beforeAll(async () => {
  pair = await startWorkerPair({ secret: SECRET, application: { primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "require_enrollment" }, worker: { pushFetch } });
  ({ db, workerA, workerB, applicationId } = pair);
});

afterAll(async () => {
  await pair?.stop();
});

const seedUser = async (options: { totp?: boolean } = {}) => {
  const username = `push-${randomBytes(4).toString("hex")}`;
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("pw") } });
  const device = await createTestDevice();
  const endpoint = `https://push.example/${username}`;
  const subscription = { endpoint, keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" } };
  const { deviceId } = await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk, subscription });
  const secret = new Secret({ size: 20 });
  if (options.totp) await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(secret.base32), active: true } });
  const pending = () =>
    waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined, { timeoutMs: 10_000 });
  const decide = async (decision: TPushDecision) => {
    const request = await pending();
    if (!request) throw new Error("no pending push");
    const signature = await device.signDecision({ requestId: request.id, decision, number: request.verifyNumber });
    return { result: await decidePush({ prisma: db.prisma, requestId: request.id, deviceId, decision, number: request.verifyNumber, signature, now: new Date() }), request };
  };
  return { username, userId: user.id, endpoint, decide, pending, code: () => TOTP.generate({ secret }) };
};

// session: the ASA's audit-session-id, what tells one login through it from another (an address never does).
const login = (options: { username: string; password: string; state?: string; port?: number; callingStationId?: string; session?: string }) =>
  radclient({
    port: options.port ?? workerA.authPort,
    secret: SECRET,
    attributes: {
      "User-Name": options.username,
      "User-Password": options.password,
      "Calling-Station-Id": options.callingStationId ?? "198.51.100.7",
      ...(options.session ? { "Cisco-AVPair": `audit-session-id=${options.session}` } : {}),
    },
    rawAttributes: options.state ? [`State = ${options.state}`] : [],
    // radclient retransmits the same packet every 4 s while the push is pending: the worker must absorb them.
    timeoutSec: 4,
    retries: 6,
  });

const reasons = async (userId: string, count: number) =>
  (await waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { userId }, orderBy: { id: "asc" } });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 10_000 }))
    ?.map((row) => `${row.result}:${row.reason}`)
    // Two workers write their auth logs independently (batched), so insertion order across them is not login order.
    .sort();

const changePolicy = async (data: { pushTimeoutSec?: number | null; verifiedPush?: boolean | null }) => {
  const before = [workerA.configVersion(), workerB.configVersion()];
  await db.prisma.policy.update({ where: { applicationId }, data });
  await waitFor(() => (workerA.configVersion() > (before[0] ?? 0) && workerB.configVersion() > (before[1] ?? 0) ? true : undefined), { timeoutMs: 5000 });
};

const attribute = (result: Awaited<ReturnType<typeof radclient>>, name: string) => result.attributes.filter((a) => a.name === name).map((a) => a.value);

describe("push over RADIUS", () => {
  it("password,push → phone approves → Access-Accept; a retransmit is absorbed and the same login on the second worker attaches: one PushRequest, one notification", async () => {
    const user = await seedUser();
    const absorbedBefore = Number(workerA.stats().absorbed);
    const session = randomBytes(12).toString("hex");
    const first = login({ username: user.username, password: "pw,push", session });
    await user.pending();
    // radclient retransmits the same packet after 4 s: the worker absorbs it while the push is pending.
    expect(await waitFor(() => (Number(workerA.stats().absorbed) > absorbedBefore ? true : undefined), { timeoutMs: 10_000 })).toBe(true);
    const receivedBefore = Number(workerB.stats().received);
    // The ASA failing the session over: a new packet to the other worker, the same audit-session-id.
    const second = login({ username: user.username, password: "pw,push", port: workerB.authPort, session });
    // The second worker must have the request (and attached) before the phone answers.
    await waitFor(() => (Number(workerB.stats().received) > receivedBefore ? true : undefined), { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await user.decide("approve")).result).toEqual({ ok: true, status: "approved" });
    expect((await first).code).toBe("Access-Accept");
    expect((await second).code).toBe("Access-Accept");
    expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(1);
    expect(pushed.filter((endpoint) => endpoint === user.endpoint)).toHaveLength(1);
    expect(await reasons(user.userId, 2)).toEqual(["success:valid_push", "success:valid_push"].sort());
    // A push login is the user being seen, on the device that approved it.
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).lastSeenAt).not.toBeNull();
    expect((await db.prisma.authenticator.findFirstOrThrow({ where: { userId: user.userId, kind: "push_device" } })).lastUsedAt).not.toBeNull();
  });

  it("deny → push_denied; 'this wasn't me' → user_marked_fraud, result fraud, user locked out", async () => {
    const user = await seedUser();
    const denied = login({ username: user.username, password: "pw,push" });
    await user.decide("deny");
    const reply = await denied;
    expect(reply.code).toBe("Access-Reject");
    const fraud = login({ username: user.username, password: "pw,push", callingStationId: "198.51.100.8" });
    await user.decide("fraud");
    expect((await fraud).code).toBe("Access-Reject");
    expect(await reasons(user.userId, 2)).toEqual(["failure:push_denied", "fraud:user_marked_fraud"].sort());
    expect(attribute(reply, "Reply-Message").join("")).toBe("Sign-in denied on your phone.");
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).status).toBe("locked_out");
  });

  it("after 'this wasn't me' the user is told what happened: at the report, and at the next login (not 'too many failed attempts')", async () => {
    const user = await seedUser({ totp: true });
    const fraud = login({ username: user.username, password: "pw,push" });
    await user.decide("fraud");
    const reported = await fraud;
    expect(reported.code).toBe("Access-Reject");
    expect(attribute(reported, "Reply-Message").join("")).toBe("You reported this sign-in as not yours: it was denied and your account is locked. Contact your helpdesk.");
    const next = await login({ username: user.username, password: `pw,${user.code()}`, callingStationId: "198.51.100.77" });
    expect(next.code).toBe("Access-Reject");
    const told = attribute(next, "Reply-Message").join("");
    expect(told).toBe("Your account is locked because a sign-in request was reported as not yours on your phone. Contact your helpdesk.");
    expect(await reasons(user.userId, 2)).toEqual(["fraud:user_marked_fraud", "failure:locked_out"].sort());
  });

  it("challenge mode: '1 for push' with State → approve → accept", async () => {
    const user = await seedUser({ totp: true });
    const menu = await login({ username: user.username, password: "pw" });
    expect(menu.code).toBe("Access-Challenge");
    expect(attribute(menu, "Reply-Message").join("")).toBe("Enter a passcode, or 1 for push to Pixel 8");
    const answer = login({ username: user.username, password: "1", state: attribute(menu, "State")[0], port: workerB.authPort });
    await user.decide("approve");
    expect((await answer).code).toBe("Access-Accept");
    expect(await reasons(user.userId, 2)).toEqual(["failure:challenge_issued", "success:valid_push"].sort());
  });

  it("a passcode overtakes a pending push: the passcode login is accepted, the push login ends no_response", async () => {
    const user = await seedUser({ totp: true });
    const pushLogin = login({ username: user.username, password: "pw,push" });
    await user.pending();
    expect((await login({ username: user.username, password: `pw,${user.code()}`, port: workerB.authPort })).code).toBe("Access-Accept");
    expect((await pushLogin).code).toBe("Access-Reject");
    expect(await reasons(user.userId, 2)).toEqual(["success:valid_passcode", "failure:no_response"].sort());
  });

  it("over the rate limit: push_rate_limited, told to use a passcode; a push-only user is told to ask for a bypass code", async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const unanswered = (userId: string) => db.prisma.pushRequest.createMany({ data: Array.from({ length: 10 }, (_, i) => ({ userId, dedupeKey: `old-${userId}-${i}`, status: i % 2 ? "denied" : "timeout", expiresAt })) });
    const withCode = await seedUser({ totp: true });
    await unanswered(withCode.userId);
    const reply = await login({ username: withCode.username, password: "pw,push" });
    expect(reply.code).toBe("Access-Reject");
    expect(attribute(reply, "Reply-Message").join("")).toBe("Too many push requests. Sign in with a passcode instead.");
    expect(await reasons(withCode.userId, 1)).toEqual(["failure:push_rate_limited"]);

    const pushOnly = await seedUser();
    await unanswered(pushOnly.userId);
    const refused = await login({ username: pushOnly.username, password: "pw,push" });
    expect(refused.code).toBe("Access-Reject");
    expect(attribute(refused, "Reply-Message").join("")).toBe("Too many push requests. Ask your helpdesk for a bypass code.");
    expect(await reasons(pushOnly.userId, 1)).toEqual(["failure:push_rate_limited"]);
  });

  it("approved pushes never use up the rate limit", async () => {
    const user = await seedUser();
    const expiresAt = new Date(Date.now() + 60_000);
    await db.prisma.pushRequest.createMany({ data: Array.from({ length: 12 }, (_, i) => ({ userId: user.userId, dedupeKey: `ok-${user.userId}-${i}`, status: "approved", expiresAt })) });
    const approved = login({ username: user.username, password: "pw,push", callingStationId: "198.51.100.61" });
    await user.decide("approve");
    expect((await approved).code).toBe("Access-Accept");
    expect(await reasons(user.userId, 1)).toEqual(["success:valid_push"]);
  });

  it("verified push: a mistyped number asks again within the same push, and the right number then gets in", async () => {
    await changePolicy({ verifiedPush: true });
    try {
      const user = await seedUser();
      const challenge = await login({ username: user.username, password: "pw,push", callingStationId: "198.51.100.31" });
      expect(challenge.code).toBe("Access-Challenge");
      const pending = await user.pending();
      const wrong = pending?.verifyNumber === "10" ? "11" : "10";
      const retry = await login({ username: user.username, password: wrong, state: attribute(challenge, "State")[0] });
      expect(retry.code).toBe("Access-Challenge");
      expect(attribute(retry, "Reply-Message").join("")).toBe("That is not the number your phone shows. Type the number it shows");
      expect((await db.prisma.pushRequest.findUniqueOrThrow({ where: { id: pending?.id ?? "" } })).status).toBe("pending");
      await user.decide("approve");
      const accepted = await login({ username: user.username, password: pending?.verifyNumber ?? "", state: attribute(retry, "State")[0], port: workerB.authPort });
      expect(accepted.code).toBe("Access-Accept");
      expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(1);
      expect(await reasons(user.userId, 3)).toEqual(["failure:challenge_issued", "failure:invalid_passcode", "success:valid_push"].sort());
      // The approval ended the failure run the mistype started.
      expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).failedAttempts).toBe(0);
      const events = await db.prisma.authEvent.findMany({ where: { userId: user.userId } });
      expect(new Set(events.map((event) => event.loginId))).toEqual(new Set([pending?.id]));
    } finally {
      await changePolicy({ verifiedPush: null });
    }
  });

  it("nobody answers: Access-Reject no_response at the policy's push timeout, told what this user can do instead", async () => {
    await changePolicy({ pushTimeoutSec: 3 });
    try {
      const user = await seedUser();
      const reply = await login({ username: user.username, password: "pw,push" });
      expect(reply.code).toBe("Access-Reject");
      expect(await reasons(user.userId, 1)).toEqual(["failure:no_response"].sort());
      // Push only: no passcode to "use instead"; a bypass code from helpdesk is the way in without the phone.
      expect(attribute(reply, "Reply-Message").join("")).toBe("No answer from your phone. Try again, or ask your helpdesk for a bypass code.");
      const withCode = await seedUser({ totp: true });
      const told = await login({ username: withCode.username, password: "pw,push", callingStationId: "198.51.100.62" });
      expect(told.code).toBe("Access-Reject");
      expect(attribute(told, "Reply-Message").join("")).toBe("No answer from your phone. Try again, or sign in with a passcode instead.");
    } finally {
      await changePolicy({ pushTimeoutSec: null });
    }
  });

  it("verified push: challenge, the number the phone shows answers it → accept; a wrong number three times → reject", async () => {
    await changePolicy({ verifiedPush: true });
    try {
      const user = await seedUser();
      const challenge = await login({ username: user.username, password: "pw,push" });
      expect(challenge.code).toBe("Access-Challenge");
      expect(attribute(challenge, "Reply-Message").join("")).toBe("Approve on your phone and type the number it shows");
      const { request } = await user.decide("approve");
      expect(request.verifyNumber).toMatch(/^\d{2,3}$/);
      expect((await login({ username: user.username, password: request.verifyNumber ?? "", state: attribute(challenge, "State")[0], port: workerB.authPort })).code).toBe("Access-Accept");

      const again = await login({ username: user.username, password: "pw,push", callingStationId: "198.51.100.99" });
      const pending = await user.pending();
      const wrong = pending?.verifyNumber === "99" ? "98" : "99";
      // A push-bomber taps approve on nothing: without the number the login fails even if the phone approved. The
      // challenge allows 3 answers: two mistypes ask again (same push), the third ends the login.
      await user.decide("approve");
      let state = attribute(again, "State")[0];
      for (const round of [1, 2]) {
        const retry = await login({ username: user.username, password: wrong, state, port: round === 2 ? workerB.authPort : workerA.authPort });
        expect(retry.code, `round ${round}`).toBe("Access-Challenge");
        expect(attribute(retry, "Reply-Message").join("")).toBe("That is not the number your phone shows. Type the number it shows");
        state = attribute(retry, "State")[0];
      }
      const last = await login({ username: user.username, password: wrong, state });
      expect(last.code).toBe("Access-Reject");
      expect(attribute(last, "Reply-Message").join("")).toBe("That is not the number your phone shows. Please sign in again.");
      expect(await reasons(user.userId, 6)).toEqual(
        ["failure:challenge_issued", "success:valid_push", "failure:challenge_issued", "failure:invalid_passcode", "failure:invalid_passcode", "failure:invalid_passcode"].sort(),
      );
      // Each mistype claimed one lockout attempt; the approval gave nothing back because the number never matched.
      expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).failedAttempts).toBe(3);
      expect((await db.prisma.pushRequest.findUniqueOrThrow({ where: { id: pending?.id ?? "" } })).status).toBe("approved");
    } finally {
      await changePolicy({ verifiedPush: null });
    }
  });
});
