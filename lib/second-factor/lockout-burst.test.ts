import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { generateBypassCodes } from "../factors/generate-bypass-codes";
import { registerPushDevice } from "../push/register-push-device";
import { createTestDevice } from "../push/test-device";
import { RadiusCode } from "../radius/constants";
import { encryptSecret } from "../secrets/envelope";
import { sendAccessRequestReplies, sendAccessRequests } from "../testing/send-access-requests";
import { startTestWorker } from "../testing/start-test-worker";
import { waitUntilServing } from "../testing/wait-until-serving";

// Lockout as an exact bound: a burst of wrong codes split over two workers on one database may cost no more
// verifications than the policy's threshold, and once it is reached the right code is refused too.
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];
const SECRET = "lockout-burst-secret";
const THRESHOLD = 5;
const BURST = 50;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local", factorEntry: "append", newUserPolicy: "deny" });
  await db.prisma.policy.update({ where: { applicationId: application.id }, data: { lockoutThreshold: THRESHOLD, verifiedPush: true } });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
  workers = [await startTestWorker({ databaseUrl: db.url }), await startTestWorker({ databaseUrl: db.url })];
  await waitUntilServing({ ports: workers.map((worker) => worker.authPort), secret: SECRET });
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await db?.drop();
});

const seedUser = async () => {
  const username = `burst-${randomBytes(4).toString("hex")}`;
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("pw") } });
  const secret = new Secret({ size: 20 });
  await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Phone", secret: encryptSecret(secret.base32), active: true } });
  return { username, userId: user.id, code: () => TOTP.generate({ secret }), valid: (code: string) => TOTP.validate({ token: code, secret, window: 2 }) !== null };
};

const reasons = async (userId: string, count: number) =>
  (await waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { userId }, select: { reason: true } });
    return rows.length >= count ? rows.map((row) => row.reason) : undefined;
  }, { timeoutMs: 60_000 })) ?? [];

const count = (list: string[], value: string) => list.filter((item) => item === value).length;

// Every reason with its count: a failed bound then shows what the burst was answered with, not only "expected 6 to be 5".
const tally = (list: string[]) => Object.fromEntries([...new Set(list)].sort().map((reason) => [reason, count(list, reason)]));

// Every other request to the other worker, all in flight at once.
const burst = (username: string, passwords: string[], states: (Buffer | undefined)[] = []) =>
  sendAccessRequests({ secret: SECRET, requests: passwords.map((password, i) => ({ port: workers[i % 2]!.authPort, username, password, state: states[i] })) });

describe("lockout under a burst on two workers", () => {
  it("50 wrong appended passcodes at once: at most the threshold are verified, the rest locked_out; then the right code is locked_out", async () => {
    const user = await seedUser();
    const wrong: string[] = [];
    for (let n = 0; wrong.length < BURST; n += 1) {
      const code = String(100_000 + n * 7919).slice(-6);
      if (!user.valid(code)) wrong.push(code);
    }
    const codes = await burst(user.username, wrong.map((code) => `pw,${code}`));
    expect(codes.every((code) => code === RadiusCode.AccessReject)).toBe(true);
    const events = await reasons(user.userId, BURST);
    expect(count(events, "invalid_passcode"), JSON.stringify(tally(events))).toBeLessThanOrEqual(THRESHOLD);
    expect(count(events, "invalid_passcode") + count(events, "locked_out"), JSON.stringify(tally(events))).toBe(BURST);
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    expect({ status: row.status, locked: row.lockedAt !== null }).toEqual({ status: "locked_out", locked: true });
    const [right] = await burst(user.username, [`pw,${user.code()}`]);
    expect(right).toBe(RadiusCode.AccessReject);
    expect((await reasons(user.userId, BURST + 1)).length).toBe(BURST + 1);
    expect(count(await reasons(user.userId, BURST + 1), "locked_out")).toBe(BURST + 1 - count(events, "invalid_passcode"));
  }, 120_000);

  it("50 wrong bypass codes at once: at most the threshold are verified; then a real bypass code is locked_out", async () => {
    const user = await seedUser();
    const { codes: issued } = await generateBypassCodes({ prisma: db.prisma, userId: user.userId, createdBy: "test", input: {} });
    const wrong = Array.from({ length: BURST }, (_, i) => String(900_000_000_000 + i * 104_729));
    const codes = await burst(user.username, wrong.map((code) => `pw,${code}`));
    expect(codes.every((code) => code === RadiusCode.AccessReject)).toBe(true);
    const events = await reasons(user.userId, BURST);
    expect(count(events, "invalid_passcode"), JSON.stringify(tally(events))).toBeLessThanOrEqual(THRESHOLD);
    expect(count(events, "invalid_passcode") + count(events, "locked_out"), JSON.stringify(tally(events))).toBe(BURST);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).status).toBe("locked_out");
    const [right] = await burst(user.username, [`pw,${issued[0] ?? ""}`]);
    expect(right).toBe(RadiusCode.AccessReject);
    const after = await reasons(user.userId, BURST + 1);
    expect(after.length).toBe(BURST + 1);
    expect(count(after, "bypass_code")).toBe(0);
    // Refused before verification: the code was not spent.
    expect((await db.prisma.bypassCode.aggregate({ where: { userId: user.userId }, _sum: { remainingUses: true } }))._sum.remainingUses).toBe(issued.length);
  }, 120_000);

  it("50 wrong verified-push numbers at once: at most the threshold are compared, the rest locked_out", async () => {
    const user = await seedUser();
    await registerPushDevice({ prisma: db.prisma, userId: user.userId, name: "Pixel 8", publicKeyJwk: (await createTestDevice()).publicKeyJwk });
    // 50 logins of one NAS session (one Acct-Session-Id) attach to one push; each gets its own challenge for the number.
    const session = { callingStationId: "198.51.100.50", acctSessionId: `burst-${user.userId}` };
    const challenges = await sendAccessRequestReplies({ secret: SECRET, requests: Array.from({ length: BURST }, (_, i) => ({ port: workers[i % 2]!.authPort, username: user.username, password: "pw,push", ...session })) });
    expect(challenges.every((reply) => reply.code === RadiusCode.AccessChallenge && reply.state)).toBe(true);
    // "1000" is never a shown number (10–999) and too short for a passcode: a wrong guess at the number.
    const answers = await sendAccessRequestReplies({
      secret: SECRET,
      requests: challenges.map((reply, i) => ({ port: workers[i % 2]!.authPort, username: user.username, password: "1000", state: reply.state })),
    });
    // A wrong number may be retyped within the push (a new challenge) while attempts remain: at most threshold − 1
    // of them, since the claim that reaches the threshold locks. The rest are refused.
    const retypes = answers.filter((reply) => reply.code === RadiusCode.AccessChallenge);
    expect(retypes.length).toBeLessThan(THRESHOLD);
    expect(answers.filter((reply) => reply.code === RadiusCode.AccessReject).length).toBe(BURST - retypes.length);
    const events = await reasons(user.userId, 2 * BURST);
    expect(count(events, "challenge_issued")).toBe(BURST);
    expect(count(events, "invalid_passcode")).toBeLessThanOrEqual(THRESHOLD);
    expect(count(events, "invalid_passcode") + count(events, "locked_out")).toBe(BURST);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).status).toBe("locked_out");
    // The right number typed into a retype challenge after the lock gets nothing.
    const push = await db.prisma.pushRequest.findFirst({ where: { userId: user.userId }, orderBy: { createdAt: "desc" } });
    const late = await sendAccessRequests({ secret: SECRET, requests: retypes.map((reply, i) => ({ port: workers[i % 2]!.authPort, username: user.username, password: String(push?.verifyNumber ?? ""), state: reply.state })) });
    expect(late.every((code) => code === RadiusCode.AccessReject)).toBe(true);
  }, 120_000);
});
