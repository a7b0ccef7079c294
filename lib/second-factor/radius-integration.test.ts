import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { generateBypassCodes } from "../factors/generate-bypass-codes";
import { Attr, RadiusCode } from "../radius/constants";
import { encodeRequest } from "../radius/encode-packet";
import { encryptPassword } from "../radius/password";
import { encryptSecret } from "../secrets/envelope";
import { radclient } from "../testing/radclient";
import { startWorkerPair } from "../testing/start-worker-pair";

// The second factor through the real worker: radclient as the ASA, two workers on one database, every case checked
// on the wire and in the AuthEvent table.
let pair: Awaited<ReturnType<typeof startWorkerPair>> | undefined;
let db: Awaited<ReturnType<typeof startWorkerPair>>["db"];
let workerA: Awaited<ReturnType<typeof startWorkerPair>>["workerA"];
let workerB: Awaited<ReturnType<typeof startWorkerPair>>["workerB"];
const SECRET = "sf-integration-secret";
let applicationId = "";

beforeAll(async () => {
  // Both workers serve the client (snapshot loaded) before the first case.
  pair = await startWorkerPair({ secret: SECRET, application: { primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "require_enrollment" }, worker: { enrollmentBaseUrl: "https://mfa.example" } });
  ({ db, workerA, workerB, applicationId } = pair);
});

afterAll(async () => {
  await pair?.stop();
});

const seedUser = async (options: { password: string; totp?: boolean }) => {
  const username = `sfi-${randomBytes(4).toString("hex")}`;
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash(options.password) } });
  const secret = new Secret({ size: 20 });
  if (options.totp !== false) await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Pixel 8", secret: encryptSecret(secret.base32), active: true } });
  return { username, userId: user.id, code: (offsetSteps = 0) => TOTP.generate({ secret, timestamp: Date.now() + offsetSteps * 30_000 }) };
};

// "Previous step" must not become "two steps back" between computing a code and the worker checking it.
const awayFromStepEdge = async () => {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 26_000) await new Promise((resolve) => setTimeout(resolve, 30_500 - intoStep));
};

const login = (options: { username: string; password: string; state?: string; port?: number; callingStationId?: string }) =>
  radclient({
    port: options.port ?? workerA.authPort,
    secret: SECRET,
    attributes: { "User-Name": options.username, "User-Password": options.password, ...(options.callingStationId ? { "Calling-Station-Id": options.callingStationId } : {}) },
    rawAttributes: options.state ? [`State = ${options.state}`] : [],
    timeoutSec: 5,
  });

const reasons = async (userId: string, count: number) =>
  (await waitFor(async () => {
    // Decision order: two workers insert their batches independently, so ids are not in decision order.
    const rows = await db.prisma.authEvent.findMany({ where: { userId }, orderBy: [{ time: "asc" }, { id: "asc" }] });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 5000 }))?.map((row) => row.reason);

// A console change reaches both workers through LISTEN/NOTIFY; wait for both to serve the new version.
const changeConfig = async (change: () => Promise<unknown>) => {
  const before = [workerA.configVersion(), workerB.configVersion()];
  await change();
  const served = await waitFor(() => (workerA.configVersion() > (before[0] ?? 0) && workerB.configVersion() > (before[1] ?? 0) ? true : undefined), { timeoutMs: 5000 });
  expect(served).toBe(true);
};

const attribute = (result: Awaited<ReturnType<typeof radclient>>, name: string) => result.attributes.filter((a) => a.name === name).map((a) => a.value);

describe("appended TOTP over RADIUS", () => {
  it("right code accepted, wrong rejected, replay rejected, previous step accepted, two steps back rejected", async () => {
    const user = await seedUser({ password: "pw,secret" });
    await changeConfig(() => db.prisma.application.update({ where: { id: applicationId }, data: { factorEntry: "append" } }));
    try {
      const code = user.code();
      const wrong = code === "000000" ? "000001" : "000000";
      expect((await login({ username: user.username, password: `pw,secret,${wrong}` })).code).toBe("Access-Reject");
      expect((await login({ username: user.username, password: `pw,secret,${code}` })).code).toBe("Access-Accept");
      // Replayed, on the other worker.
      expect((await login({ username: user.username, password: `pw,secret,${code}`, port: workerB.authPort })).code).toBe("Access-Reject");
      const other = await seedUser({ password: "pw2" });
      await awayFromStepEdge();
      expect((await login({ username: other.username, password: `pw2,${other.code(-2)}` })).code).toBe("Access-Reject");
      expect((await login({ username: other.username, password: `pw2,${other.code(-1)}` })).code).toBe("Access-Accept");
      expect(await reasons(user.userId, 3)).toEqual(["invalid_passcode", "valid_passcode", "passcode_replayed"]);
      expect(await reasons(other.userId, 2)).toEqual(["invalid_passcode", "valid_passcode"]);
    } finally {
      await changeConfig(() => db.prisma.application.update({ where: { id: applicationId }, data: { factorEntry: "both" } }));
    }
  });
});

describe("Access-Challenge over RADIUS", () => {
  it("primary ok → Access-Challenge with State → code with State on the other worker → accept; reused State rejected", async () => {
    const user = await seedUser({ password: "chal-pw" });
    const first = await login({ username: user.username, password: "chal-pw" });
    expect(first.code).toBe("Access-Challenge");
    expect(attribute(first, "Reply-Message").join("")).toBe("Enter a passcode");
    const state = attribute(first, "State")[0] ?? "";
    expect(state).toMatch(/^0x[0-9a-f]{40}$/);
    // The NAS is told how long the State lives: the policy's challenge timeout (default 300 s).
    expect(attribute(first, "Session-Timeout")).toEqual(["300"]);
    const code = user.code();
    expect((await login({ username: user.username, password: code, state, port: workerB.authPort })).code).toBe("Access-Accept");
    expect((await login({ username: user.username, password: user.code(1), state })).code).toBe("Access-Reject");
    expect((await login({ username: user.username, password: code, state: `0x${"74667331"}${"00".repeat(16)}` })).code).toBe("Access-Reject");
    // A refused State names no account (the row that would have is spent): those two events carry the typed name only.
    expect(await reasons(user.userId, 2)).toEqual(["challenge_issued", "valid_passcode"]);
    const refused = await waitFor(async () => {
      const rows = await db.prisma.authEvent.findMany({ where: { username: user.username, userId: null } });
      return rows.length >= 2 ? rows.map((row) => row.reason) : undefined;
    }, { timeoutMs: 5000 });
    expect(refused).toEqual(["challenge_invalid_state", "challenge_invalid_state"]);
  });
});

describe("policy over RADIUS", () => {
  it("new user: the reject or challenge carries a one-time enrollment link", async () => {
    const user = await seedUser({ password: "new-pw", totp: false });
    const challenged = await login({ username: user.username, password: "new-pw" });
    expect(challenged.code).toBe("Access-Challenge");
    expect(attribute(challenged, "Reply-Message").join("")).toMatch(/^Enroll at https:\/\/mfa\.example\/enroll\/[\w-]{20,}/);
    expect(await db.prisma.enrollmentLink.count({ where: { userId: user.userId } })).toBe(1);
    expect(await reasons(user.userId, 1)).toEqual(["challenge_issued"]);
  });
  it("bypass code works once; authorized network skips the second factor", async () => {
    const user = await seedUser({ password: "by-pw" });
    const { codes } = await generateBypassCodes({ prisma: db.prisma, userId: user.userId, createdBy: "test", input: {} });
    const code = codes[0] ?? "";
    expect((await login({ username: user.username, password: `by-pw,${code}` })).code).toBe("Access-Accept");
    // Used up: said so (not "not allowed"), and in mode "both" the menu is offered again like after any wrong code.
    const again = await login({ username: user.username, password: `by-pw,${code}` });
    expect(again.code).toBe("Access-Challenge");
    expect(attribute(again, "Reply-Message").join("")).toBe("That bypass code was already used or has expired. Ask your helpdesk for a new one. Enter a passcode");
    await changeConfig(() => db.prisma.policy.update({ where: { applicationId }, data: { authorizedNetworks: ["198.51.100.0/24"], authorizedNetworksInherit: false } }));
    expect((await login({ username: user.username, password: "by-pw", callingStationId: "198.51.100.20" })).code).toBe("Access-Accept");
    expect((await login({ username: user.username, password: "by-pw", callingStationId: "203.0.113.20" })).code).toBe("Access-Challenge");
    await changeConfig(() => db.prisma.policy.update({ where: { applicationId }, data: { authorizedNetworks: [], authorizedNetworksInherit: true } }));
    expect(await reasons(user.userId, 4)).toEqual(["bypass_code", "bypass_code_used", "trusted_network", "challenge_issued"]);
  });
});

describe("lockout and retransmits over RADIUS", () => {
  it("locks after the threshold of wrong codes, refuses the right code while locked, auto-unlocks after the minutes", async () => {
    const user = await seedUser({ password: "lock-pw" });
    await changeConfig(() => db.prisma.policy.update({ where: { applicationId }, data: { lockoutThreshold: 2, autoUnlockMinutes: 5 } }));
    try {
      const wrong = user.code() === "000000" ? "000001" : "000000";
      for (let i = 0; i < 2; i += 1) expect((await login({ username: user.username, password: `lock-pw,${wrong}` })).code).not.toBe("Access-Accept");
      expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).status).toBe("locked_out");
      const locked = await login({ username: user.username, password: `lock-pw,${user.code()}` });
      expect(locked.code).toBe("Access-Reject");
      // Six minutes later, as far as the lockout is concerned.
      await db.prisma.user.update({ where: { id: user.userId }, data: { lockedAt: new Date(Date.now() - 6 * 60_000) } });
      expect((await login({ username: user.username, password: `lock-pw,${user.code()}` })).code).toBe("Access-Accept");
      expect(await reasons(user.userId, 4)).toEqual(["invalid_passcode", "invalid_passcode", "locked_out", "valid_passcode"]);
    } finally {
      await changeConfig(() => db.prisma.policy.update({ where: { applicationId }, data: { lockoutThreshold: null, autoUnlockMinutes: null } }));
    }
  });

  it("a retransmitted challenge answer gets the same answer and is verified once", async () => {
    const user = await seedUser({ password: "rt-pw" });
    const first = await login({ username: user.username, password: "rt-pw" });
    const state = Buffer.from((attribute(first, "State")[0] ?? "").slice(2), "hex");
    const authenticator = randomBytes(16);
    const secret = Buffer.from(SECRET);
    const { packet } = encodeRequest({
      code: RadiusCode.AccessRequest,
      identifier: 201,
      authenticator,
      attributes: [
        { type: Attr.UserName, value: Buffer.from(user.username) },
        { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from(user.code()), secret, authenticator }) },
        { type: Attr.State, value: state },
      ],
      secret,
    });
    const dgram = await import("node:dgram");
    const socket = dgram.createSocket("udp4");
    const replies: Buffer[] = [];
    socket.on("message", (message) => replies.push(message));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    try {
      socket.send(packet, workerA.authPort, "127.0.0.1");
      socket.send(packet, workerA.authPort, "127.0.0.1");
      await waitFor(() => (replies.length >= 1 ? true : undefined), { timeoutMs: 5000 });
      socket.send(packet, workerA.authPort, "127.0.0.1");
      await waitFor(() => (replies.length >= 2 ? true : undefined), { timeoutMs: 5000 });
    } finally {
      socket.close();
    }
    expect(replies[0]?.[0]).toBe(RadiusCode.AccessAccept);
    expect(replies.every((reply) => reply.equals(replies[0]!))).toBe(true);
    expect(await reasons(user.userId, 2)).toEqual(["challenge_issued", "valid_passcode"]);
  });

  it("bypass status accepts without a code; new-user policy deny rejects", async () => {
    const bypass = await seedUser({ password: "bp-pw" });
    await db.prisma.user.update({ where: { id: bypass.userId }, data: { status: "bypass" } });
    expect((await login({ username: bypass.username, password: "bp-pw" })).code).toBe("Access-Accept");
    const newcomer = await seedUser({ password: "nc-pw", totp: false });
    await changeConfig(() => db.prisma.policy.update({ where: { applicationId }, data: { newUserPolicy: "deny" } }));
    try {
      expect((await login({ username: newcomer.username, password: "nc-pw" })).code).toBe("Access-Reject");
    } finally {
      await changeConfig(() => db.prisma.policy.update({ where: { applicationId }, data: { newUserPolicy: "require_enrollment" } }));
    }
    expect(await reasons(bypass.userId, 1)).toEqual(["bypass_user"]);
    expect(await reasons(newcomer.userId, 1)).toEqual(["deny_unenrolled_user"]);
  });
});
