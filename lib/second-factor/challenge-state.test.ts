import { hash } from "@node-rs/argon2";
import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { encryptSecret } from "../secrets/envelope";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";
import { issueChallenge, stateKind, takeChallenge } from "./challenge-state";

// Property 2: every State is bound — to the RADIUS client, the normalized username and its expiry — whether it is the
// second factor's own or a relayed upstream one. A mismatch is a reject, and it spends the State.
const NAS = "state-nas-secret";
type TSetup = { db: Awaited<ReturnType<typeof createIsolatedDatabase>>; worker: Awaited<ReturnType<typeof startTestWorker>>; applicationId: string };
let upstream: TFreeRadius;
let relay: TSetup;
let local: TSetup;
const totp = new Secret({ size: 20 });

const setup = async (mode: "radius" | "local"): Promise<TSetup> => {
  const db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: mode, factorEntry: "challenge", newUserPolicy: "allow_without_2fa" });
  if (mode === "radius") await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: upstream.authPort, secret: "ise-secret", position: 0, timeoutMs: 2000 });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: NAS });
  return { db, worker: await startTestWorker({ databaseUrl: db.url }), applicationId: application.id };
};

beforeAll(async () => {
  upstream = await startFreeRadius({
    secret: "ise-secret",
    users: [
      // ISE finds the session by State alone: whoever relays it has to bind it to the user.
      { username: "carol", password: "carol-pass", reply: ['Class := "OU=Finance-Admins;"'], challenge: { prompt: "Enter your RSA token code", answer: "424242", stateOnly: true } },
      { username: "mallory", password: "mallory-pass", reply: ['Class := "OU=Guests;"'] },
    ],
  });
  [relay, local] = await Promise.all([setup("radius"), setup("local")]);
}, 90_000);

afterAll(async () => {
  for (const each of [relay, local]) {
    await each?.worker.stop();
    await each?.db.drop();
  }
  await upstream?.stop();
});

const login = (target: TSetup, attributes: Record<string, string>) => radclient({ port: target.worker.authPort, secret: NAS, attributes, timeoutSec: 5 });
const stateOf = (reply: Awaited<ReturnType<typeof radclient>>) => reply.attributes.find((attr) => attr.name === "State")?.value ?? "";
const reasons = (target: TSetup, count: number) =>
  waitFor(async () => {
    const rows = await target.db.prisma.authEvent.findMany({ where: { applicationId: target.applicationId }, orderBy: [{ time: "asc" }, { id: "asc" }] });
    return rows.length >= count ? rows.map((row) => [row.username, row.reason]) : undefined;
  }, { timeoutMs: 8000 });

describe("every State is bound to its client, username and expiry", () => {
  it("a relayed upstream State answered under another username is refused and spent", async () => {
    const challenge = await login(relay, { "User-Name": "carol", "User-Password": "carol-pass" });
    expect(challenge.code, challenge.stdout).toBe("Access-Challenge");
    // Mallory, unenrolled and allowed without 2FA, answers carol's challenge with carol's token code.
    const hijack = await login(relay, { "User-Name": "mallory", "User-Password": "424242", State: stateOf(challenge) });
    expect(hijack.code, hijack.stdout).toBe("Access-Reject");
    expect(hijack.attributes.some((attr) => attr.name === "Class")).toBe(false);
    // The State was exposed: carol's own answer with it no longer works either.
    expect((await login(relay, { "User-Name": "carol", "User-Password": "424242", State: stateOf(challenge) })).code).toBe("Access-Reject");
    // A fresh challenge answered by carol herself (another spelling of her name included) gets her Accept.
    const again = await login(relay, { "User-Name": "carol", "User-Password": "carol-pass" });
    const answer = await login(relay, { "User-Name": " Carol", "User-Password": "424242", State: stateOf(again) });
    expect(answer.code, answer.stdout).toBe("Access-Accept");
    expect(await reasons(relay, 5)).toEqual([
      ["carol", "primary_challenge"],
      ["mallory", "challenge_invalid_state"],
      ["carol", "challenge_invalid_state"],
      ["carol", "primary_challenge"],
      ["carol", "allow_unenrolled_user"],
    ]);
  });

  it("what ISE granted before a challenge round comes back with the Accept that ends it, through a wrong answer too", async () => {
    const user = await relay.db.prisma.user.create({ data: { username: "mallory" } });
    await relay.db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Phone", secret: encryptSecret(totp.base32), active: true } });
    const menu = await login(relay, { "User-Name": "mallory", "User-Password": "mallory-pass" });
    expect(menu.code, menu.stdout).toBe("Access-Challenge");
    expect(menu.attributes.some((attr) => attr.name === "Class")).toBe(false);
    const wrong = await login(relay, { "User-Name": "mallory", "User-Password": "000000", State: stateOf(menu) });
    expect(wrong.code, wrong.stdout).toBe("Access-Challenge");
    const right = await login(relay, { "User-Name": "mallory", "User-Password": TOTP.generate({ secret: totp }), State: stateOf(wrong) });
    expect(right.code, right.stdout).toBe("Access-Accept");
    expect(right.attributes.find((attr) => attr.name === "Class")?.value).toBe(`0x${Buffer.from("OU=Guests;").toString("hex")}`);
  });

  it("a second-factor State answered under another username is refused and spent", async () => {
    const password = "local-pass-1";
    for (const username of ["alice", "bob"]) {
      const user = await local.db.prisma.user.create({ data: { username, passwordHash: await hash(password) } });
      await local.db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Phone", secret: encryptSecret(totp.base32), active: true } });
    }
    const menu = await login(local, { "User-Name": "alice", "User-Password": password });
    expect(menu.code, menu.stdout).toBe("Access-Challenge");
    const hijack = await login(local, { "User-Name": "bob", "User-Password": TOTP.generate({ secret: totp }), State: stateOf(menu) });
    expect(hijack.code).toBe("Access-Reject");
    expect((await login(local, { "User-Name": "alice", "User-Password": TOTP.generate({ secret: totp }), State: stateOf(menu) })).code).toBe("Access-Reject");
    expect((await reasons(local, 3))?.slice(-2)).toEqual([
      ["bob", "challenge_invalid_state"],
      ["alice", "challenge_invalid_state"],
    ]);
  });

  it("the store: another client, another name or past its expiry is refused, and the row is gone either way", async () => {
    const { prisma } = local.db;
    const clientId = randomUUID();
    const now = new Date();
    const issue = (purpose: "factor" | "upstream") =>
      issueChallenge({ prisma, clientId, username: "alice", data: purpose === "upstream" ? { purpose, upstreamState: "abcd" } : { purpose, userId: randomUUID() }, attempts: 0, ttlSec: 60, now });
    const upstreamState = await issue("upstream");
    expect(stateKind(upstreamState)).toBe("upstream");
    expect(stateKind(await issue("factor"))).toBe("second_factor");
    const cases = [
      { clientId: randomUUID(), username: "alice", now, reason: "challenge_invalid_state" },
      { clientId, username: "alicia", now, reason: "challenge_invalid_state" },
      { clientId, username: "alice", now: new Date(now.getTime() + 61_000), reason: "challenge_expired" },
    ];
    for (const each of cases) {
      const state = await issue("factor");
      expect(await takeChallenge({ prisma, state, ...each })).toEqual({ ok: false, reason: each.reason });
      expect(await takeChallenge({ prisma, state, clientId, username: "alice", now })).toEqual({ ok: false, reason: "challenge_invalid_state" });
    }
    expect(await takeChallenge({ prisma, state: upstreamState, clientId, username: "alice", now })).toMatchObject({ ok: true, data: { purpose: "upstream", upstreamState: "abcd" } });
    // A tag that does not match the row's purpose (a forged or corrupted row) runs neither step.
    const forged = Buffer.from(upstreamState);
    forged.write("tfs1", 0);
    await prisma.challengeState.create({ data: { id: forged.toString("hex"), clientId, username: "alice", data: { purpose: "upstream", upstreamState: "abcd" }, expiresAt: new Date(now.getTime() + 60_000) } });
    expect(await takeChallenge({ prisma, state: forged, clientId, username: "alice", now })).toEqual({ ok: false, reason: "challenge_invalid_state" });
  });
});
