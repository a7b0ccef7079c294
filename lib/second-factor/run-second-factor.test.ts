import { randomUUID } from "node:crypto";
import { HOTP, Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { createConfigPrisma } from "../config/create-config-prisma";
import { disconnectPrisma, prisma, type TPrisma } from "../db";
import { generateBypassCodes } from "../factors/generate-bypass-codes";
import { POLICY_DEFAULTS, type TEffectivePolicy } from "../policy/policy-schemas";
import { encryptSecret } from "../secrets/envelope";
import { startTestDatabase } from "../testing/test-database";
import { prismaQuery, type TSqlQuery } from "../users/read-user";
import { createDatabaseProbe } from "./create-database-probe";
import { runSecondFactor, type TRunSecondFactorOptions } from "./run-second-factor";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "./types";

afterAll(disconnectPrisma);

const clientId = randomUUID();
const base = (over: Partial<TSecondFactorRequest> = {}): TSecondFactorRequest => ({
  applicationId: randomUUID(),
  radiusClientId: clientId,
  username: `sf-${randomUUID()}`,
  usernameRaw: "x",
  clientAddress: "192.0.2.10",
  directoryGroups: [],
  now: new Date(),
  ...over,
});
const runProbe = createDatabaseProbe({ databaseUrl: process.env.DATABASE_URL ?? "" });
const run = (request: TSecondFactorRequest, over: Partial<TRunSecondFactorOptions> = {}) =>
  // A generous database timeout: on a busy test machine a slow query must not read as an outage.
  runSecondFactor({ prisma, request, policy: POLICY_DEFAULTS, application: { factorEntry: "both" }, enrollmentBaseUrl: "https://mfa.example", dbTimeoutMs: 60_000, probe: runProbe, ...over });

const seedUser = async (over: { status?: "active" | "bypass" | "disabled" | "locked_out"; lockedAt?: Date; failedAttempts?: number; totp?: boolean } = {}) => {
  const username = `sf-${randomUUID()}`;
  const user = await prisma.user.create({ data: { username, status: over.status, lockedAt: over.lockedAt, failedAttempts: over.failedAttempts }, select: { id: true } });
  const secret = new Secret({ size: 20 });
  if (over.totp !== false) {
    await prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Phone", secret: encryptSecret(secret.base32), active: true } });
  }
  const code = (at: Date) => TOTP.generate({ secret, timestamp: at.getTime() });
  return { username, userId: user.id, code };
};

const expectOutcome = (outcome: TSecondFactorOutcome, decision: TSecondFactorOutcome["decision"], reason: string) => {
  expect({ decision: outcome.decision, reason: outcome.reason }).toEqual({ decision, reason });
};

describe("new-user policy", () => {
  it("require_enrollment: append mode rejects with a one-time link, challenge mode challenges with one", async () => {
    const request = base();
    const rejected = await run(request, { application: { factorEntry: "append" } });
    expectOutcome(rejected, "reject", "enrollment_required");
    expect(rejected.decision === "reject" && rejected.replyMessage).toMatch(/https:\/\/mfa\.example\/enroll\/[\w-]{20,}/);
    const user = await prisma.user.findUniqueOrThrow({ where: { username: request.username }, include: { enrollments: true } });
    expect(user.enrollments).toHaveLength(1);
    const challenged = await run(base({ username: request.username }));
    expectOutcome(challenged, "challenge", "challenge_issued");
    expect(challenged.decision === "challenge" && challenged.replyMessage).toMatch(/^Enroll at https:\/\/mfa\.example\/enroll\//);
  });
  it("allow_without_2fa accepts and says so; deny rejects", async () => {
    expectOutcome(await run(base(), { policy: { ...POLICY_DEFAULTS, newUserPolicy: "allow_without_2fa" } }), "accept", "allow_unenrolled_user");
    expectOutcome(await run(base(), { policy: { ...POLICY_DEFAULTS, newUserPolicy: "deny" } }), "reject", "deny_unenrolled_user");
  });
});

describe("user status", () => {
  it("bypass accepts, disabled and locked out reject", async () => {
    expectOutcome(await run(base({ username: (await seedUser({ status: "bypass" })).username })), "accept", "bypass_user");
    expectOutcome(await run(base({ username: (await seedUser({ status: "disabled" })).username })), "reject", "user_disabled");
    expectOutcome(await run(base({ username: (await seedUser({ status: "locked_out", lockedAt: new Date() })).username })), "reject", "locked_out");
  });
});

describe("appended passcodes", () => {
  it("nothing appended: told to add the application's own delimiter and a passcode", async () => {
    const { username } = await seedUser();
    const outcome = await run(base({ username }), { application: { factorEntry: "append", appendDelimiter: "#" } });
    expectOutcome(outcome, "reject", "factor_required");
    expect(outcome.decision === "reject" && outcome.replyMessage).toBe("A second factor is required: add a hash sign (#) and your passcode to your password.");
  });
  it("accepts the right code once, rejects a wrong and a replayed one", async () => {
    const { username, code } = await seedUser();
    const now = new Date();
    const good = code(now);
    const wrong = good === "000000" ? "000001" : "000000";
    const app = { application: { factorEntry: "append" as const } };
    expectOutcome(await run(base({ username, appended: wrong, now }), app), "reject", "invalid_passcode");
    expect(await run(base({ username, appended: good, now }), app)).toMatchObject({ decision: "accept", reason: "valid_passcode", factor: "totp" });
    expectOutcome(await run(base({ username, appended: good, now }), app), "reject", "passcode_replayed");
  });
  it("locks out after the threshold, resets on success, and auto-unlocks after the policy's minutes", async () => {
    const { username, userId, code } = await seedUser();
    const policy: TEffectivePolicy = { ...POLICY_DEFAULTS, lockoutThreshold: 3, autoUnlockMinutes: 5 };
    const app = { application: { factorEntry: "append" as const }, policy };
    const now = new Date();
    const wrong = code(now) === "000000" ? "000001" : "000000";
    for (let i = 0; i < 2; i += 1) expectOutcome(await run(base({ username, appended: wrong, now }), app), "reject", "invalid_passcode");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).failedAttempts).toBe(2);
    const third = await run(base({ username, appended: wrong, now }), app);
    expect(third).toMatchObject({ decision: "reject", reason: "invalid_passcode", replyMessage: expect.stringMatching(/locked/) });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).status).toBe("locked_out");
    // Locked: even the right code is refused.
    expectOutcome(await run(base({ username, appended: code(now), now }), app), "reject", "locked_out");
    const later = new Date(now.getTime() + 6 * 60_000);
    expectOutcome(await run(base({ username, appended: code(later), now: later }), app), "accept", "valid_passcode");
    const row = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect({ status: row.status, failedAttempts: row.failedAttempts, lockedAt: row.lockedAt }).toEqual({ status: "active", failedAttempts: 0, lockedAt: null });
  });
  it("bypass codes work once", async () => {
    const { username, userId } = await seedUser();
    const { codes } = await generateBypassCodes({ prisma, userId, createdBy: "test", input: {} });
    const appended = codes[0] ?? "";
    const app = { application: { factorEntry: "append" as const } };
    expect(await run(base({ username, appended }), app)).toMatchObject({ decision: "accept", reason: "bypass_code", factor: "bypass_code" });
    expect(await run(base({ username, appended }), app)).toMatchObject({ decision: "reject", reason: "bypass_code_used", replyMessage: "That bypass code was already used or has expired. Ask your helpdesk for a new one." });
  });
  it("skips the second factor from an authorized network", async () => {
    const { username } = await seedUser();
    const policy = { ...POLICY_DEFAULTS, authorizedNetworks: ["198.51.100.0/24"] };
    expectOutcome(await run(base({ username, callingStationId: "198.51.100.7" }), { policy }), "accept", "trusted_network");
    expectOutcome(await run(base({ username, callingStationId: "203.0.113.7" }), { policy }), "challenge", "challenge_issued");
  });
});

describe("Access-Challenge", () => {
  it("round trip: challenge → code with State → accept; the State is single use", async () => {
    const { username, code } = await seedUser();
    const first = await run(base({ username }));
    if (first.decision !== "challenge") throw new Error(`expected a challenge, got ${first.reason}`);
    expect(first.replyMessage).toBe("Enter a passcode");
    expect(first.state.length).toBeGreaterThanOrEqual(16);
    const now = new Date();
    const answer = { state: first.state, answer: code(now) };
    expect(await run(base({ username, challengeAnswer: answer, now }))).toMatchObject({ decision: "accept", reason: "valid_passcode" });
    expectOutcome(await run(base({ username, challengeAnswer: answer, now })), "reject", "challenge_invalid_state");
  });
  it("refuses a State from another client, for another user, made up, or expired", async () => {
    const { username, code } = await seedUser();
    const issue = async () => {
      const outcome = await run(base({ username }));
      if (outcome.decision !== "challenge") throw new Error("expected a challenge");
      return outcome.state;
    };
    const now = new Date();
    expectOutcome(await run(base({ username, radiusClientId: randomUUID(), challengeAnswer: { state: await issue(), answer: code(now) } })), "reject", "challenge_invalid_state");
    expectOutcome(await run(base({ username: `${username}x`, challengeAnswer: { state: await issue(), answer: code(now) } })), "reject", "challenge_invalid_state");
    expectOutcome(await run(base({ username, challengeAnswer: { state: Buffer.from("made-up-state-000000"), answer: code(now) } })), "reject", "challenge_invalid_state");
    const late = new Date(now.getTime() + 301_000);
    expectOutcome(await run(base({ username, now: late, challengeAnswer: { state: await issue(), answer: code(late) } })), "reject", "challenge_expired");
  });
  it("a wrong answer earns another round up to the limit", async () => {
    const { username, code } = await seedUser();
    let outcome = await run(base({ username }));
    const wrong = code(new Date()) === "000000" ? "000001" : "000000";
    for (let round = 1; round <= 2; round += 1) {
      if (outcome.decision !== "challenge") throw new Error("expected a challenge");
      outcome = await run(base({ username, challengeAnswer: { state: outcome.state, answer: wrong } }));
      expect(outcome).toMatchObject({ decision: "challenge", reason: "invalid_passcode", replyMessage: "Incorrect passcode. Enter a passcode" });
    }
    if (outcome.decision !== "challenge") throw new Error("expected a challenge");
    expectOutcome(await run(base({ username, challengeAnswer: { state: outcome.state, answer: wrong } })), "reject", "invalid_passcode");
  });
  it("answers that are no code at all also use up the rounds", async () => {
    const { username } = await seedUser();
    let outcome = await run(base({ username }));
    for (let round = 1; round <= 2; round += 1) {
      if (outcome.decision !== "challenge") throw new Error("expected a challenge");
      outcome = await run(base({ username, challengeAnswer: { state: outcome.state, answer: "hello" } }));
      expect(outcome).toMatchObject({ decision: "challenge", reason: "invalid_passcode", replyMessage: "Incorrect passcode. Enter a passcode" });
    }
    if (outcome.decision !== "challenge") throw new Error("expected a challenge");
    expectOutcome(await run(base({ username, challengeAnswer: { state: outcome.state, answer: "" } })), "reject", "invalid_passcode");
  });
  it("an appended wrong code in mode both is followed by a challenge", async () => {
    const { username, code } = await seedUser();
    const wrong = code(new Date()) === "000000" ? "000001" : "000000";
    expect(await run(base({ username, appended: wrong }))).toMatchObject({ decision: "challenge", replyMessage: "Incorrect passcode. Enter a passcode" });
  });
  it("the enrollment challenge accepts a code from the authenticator enrolled meanwhile", async () => {
    const request = base();
    const outcome = await run(request);
    if (outcome.decision !== "challenge" || !outcome.userId) throw new Error("expected an enrollment challenge");
    const secret = new Secret({ size: 20 });
    await prisma.authenticator.create({ data: { userId: outcome.userId, kind: "totp", secret: encryptSecret(secret.base32), active: true } });
    const now = new Date();
    const answer = { state: outcome.state, answer: TOTP.generate({ secret, timestamp: now.getTime() }) };
    expectOutcome(await run(base({ username: request.username, challengeAnswer: answer, now })), "accept", "valid_passcode");
  });
});

describe("HOTP hardware tokens", () => {
  const seedHotp = async () => {
    const username = `sf-${randomUUID()}`;
    const user = await prisma.user.create({ data: { username }, select: { id: true } });
    const secret = new Secret({ size: 20 });
    const token = await prisma.authenticator.create({ data: { userId: user.id, kind: "hotp", serial: randomUUID(), secret: encryptSecret(secret.base32), active: true }, select: { id: true } });
    return { username, tokenId: token.id, at: (counter: number) => HOTP.generate({ secret, counter }) };
  };
  it("accepts within the look-ahead window and resynchronizes a drifted token with the next code", async () => {
    const { username, tokenId, at } = await seedHotp();
    expect(await run(base({ username, appended: at(3) }))).toMatchObject({ decision: "accept", reason: "valid_passcode", factor: "hotp" });
    const drifted = await run(base({ username, appended: at(200) }));
    if (drifted.decision !== "challenge") throw new Error(`expected a challenge, got ${drifted.reason}`);
    expect(drifted.replyMessage).toMatch(/out of sync/);
    expect(await run(base({ username, challengeAnswer: { state: drifted.state, answer: at(201) } }))).toMatchObject({ decision: "accept", reason: "valid_passcode", factor: "hotp" });
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: tokenId } })).counter).toBe(202n);
  });
  it("does not resynchronize on a code that is not the next one", async () => {
    const { username, tokenId, at } = await seedHotp();
    const drifted = await run(base({ username, appended: at(300) }));
    if (drifted.decision !== "challenge") throw new Error("expected a challenge");
    const wrong = await run(base({ username, challengeAnswer: { state: drifted.state, answer: at(305) } }));
    expect(wrong).toMatchObject({ reason: "invalid_passcode" });
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: tokenId } })).counter).toBe(0n);
    // In append-only mode there is no challenge to ask for the next code: a plain reject.
    expectOutcome(await run(base({ username, appended: at(400) }), { application: { factorEntry: "append" } }), "reject", "invalid_passcode");
  });
});

describe("fail mode with the database stopped", () => {
  it("safe accepts, secure rejects, a challenge answer is always refused", async () => {
    const database = await startTestDatabase();
    const down = createConfigPrisma({ databaseUrl: database.url, max: 1 });
    const downProbe = createDatabaseProbe({ databaseUrl: database.url });
    await down.$queryRaw`SELECT 1`;
    await database.stop();
    try {
      const request = base();
      const safe = { ...POLICY_DEFAULTS, failMode: "safe" as const };
      expectOutcome(await run(request, { prisma: down, probe: downProbe, policy: safe }), "accept", "failmode_safe");
      expectOutcome(await run(request, { prisma: down, probe: downProbe }), "reject", "failmode_secure");
      const answer = { state: Buffer.concat([Buffer.from("tfs1"), Buffer.alloc(16, 1)]), answer: "123456" };
      expectOutcome(await run(base({ challengeAnswer: answer }), { prisma: down, probe: downProbe, policy: safe }), "reject", "failmode_secure");
    } finally {
      await down.$disconnect();
    }
  }, 120_000); // a PostgreSQL of its own: initdb alone can take 10+ s on a busy 2-core machine
  it("a database that accepts connections but never answers is an outage after dbTimeoutMs", async () => {
    const { createServer } = await import("node:net");
    const sockets: import("node:net").Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const hung = createConfigPrisma({ databaseUrl: `postgresql://x:y@127.0.0.1:${port}/twofold`, max: 1 });
    // A fresh connection to it cannot finish the handshake either: that, not the slow query, makes it an outage.
    const hungProbe = createDatabaseProbe({ databaseUrl: `postgresql://x:y@127.0.0.1:${port}/twofold`, connectTimeoutMs: 300 });
    try {
      const safe = { ...POLICY_DEFAULTS, failMode: "safe" as const };
      expectOutcome(await run(base(), { prisma: hung, probe: hungProbe, policy: safe, dbTimeoutMs: 300 }), "accept", "failmode_safe");
      expectOutcome(await run(base(), { prisma: hung, probe: hungProbe, dbTimeoutMs: 300 }), "reject", "failmode_secure");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await hung.$disconnect().catch(() => undefined);
    }
  });
  it("a bug is an error, not a fail-mode accept", async () => {
    const broken = new Proxy(prisma, { get: (target, key) => (key === "user" ? { findUnique: () => Promise.reject(new TypeError("boom")) } : Reflect.get(target, key)) });
    const outcome = await run(base(), { prisma: broken, policy: { ...POLICY_DEFAULTS, failMode: "safe" } });
    expectOutcome(outcome, "error", "error");
  });
});

// Every statement of the passcode path goes through `sql` (plain pg in the worker): no Prisma, no interactive
// transaction, and no per-login housekeeping.
describe("statements per login", () => {
  const prismaUnused = new Proxy({} as TPrisma, {
    get: (_target, property) => {
      throw new Error(`Prisma used on the passcode path: ${String(property)}`);
    },
  });
  const recording = () => {
    const names: string[] = [];
    const sql: TSqlQuery = (query) => {
      names.push(query.name);
      return prismaQuery(prisma)(query);
    };
    return { names, sql };
  };

  it("password,code: the user read and one claim statement", async () => {
    const { username, code } = await seedUser();
    const { names, sql } = recording();
    const now = new Date();
    const outcome = await run(base({ username, appended: code(now), now }), { prisma: prismaUnused, sql, application: { factorEntry: "append" } });
    expect(outcome).toMatchObject({ decision: "accept", reason: "valid_passcode", factor: "totp" });
    expect(names).toEqual(["twofold-read-user", "twofold-claim-otp"]);
  });

  it("challenge: read and State insert, then State take, read and one claim statement", async () => {
    const { username, code } = await seedUser();
    const { names, sql } = recording();
    const first = await run(base({ username }), { prisma: prismaUnused, sql });
    if (first.decision !== "challenge") throw new Error(`expected a challenge, got ${first.reason}`);
    // The sweep of expired States runs at most once a minute per process, not per login.
    expect(names.filter((name) => name !== "twofold-sweep-challenges")).toEqual(["twofold-read-user", "twofold-issue-challenge"]);
    names.length = 0;
    const now = new Date();
    expect(await run(base({ username, now, challengeAnswer: { state: first.state, answer: code(now) } }), { prisma: prismaUnused, sql })).toMatchObject({ decision: "accept", reason: "valid_passcode" });
    expect(names).toEqual(["twofold-take-challenge", "twofold-read-user-by-id", "twofold-claim-otp"]);
  });
});
