import { hash } from "@node-rs/argon2";
import { randomBytes, randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { Attr, RadiusCode } from "../radius/constants";
import { encryptSecret } from "../secrets/envelope";
import { startTestWorker } from "../testing/start-test-worker";
import { createUdpRadiusClient, textAttribute } from "../testing/udp-radius-client";
import { summarizeAuthEvents, type TAuthSummary } from "./summarize-auth-events";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
beforeAll(async () => {
  db = await createIsolatedDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("summarizeAuthEvents", () => {
  it("counts logins, not rounds: a challenge round is not a rejection, its answer is the outcome", async () => {
    const event = (username: string, result: "success" | "failure", reason: string) => ({
      eventId: randomUUID(), time: new Date(), usernameRaw: username, username, result, reason, workerId: "test", clientName: "asa",
    });
    await db.prisma.authEvent.createMany({
      data: [
        event("alice", "failure", "challenge_issued"),
        event("alice", "success", "valid_passcode"),
        event("carol", "failure", "primary_challenge"),
        event("carol", "success", "allow_unenrolled_user"),
        event("mallory", "failure", "primary_reject"),
        // Not logins: an ACL the NAS fetched, a CoA ISE sent, a Disconnect the NAS refused.
        event("#ACSACL#-IP-WEB-1", "success", "acl_download"),
        event("alice", "success", "coa"),
        event("alice", "failure", "disconnect"),
      ],
    });
    const summary = await summarizeAuthEvents({ prisma: db.prisma, since: new Date(Date.now() - 3_600_000), bucket: "hour" });
    expect({ accepted: summary.accepted, rejected: summary.rejected }).toEqual({ accepted: 2, rejected: 1 });
    expect(summary.topFailingUsers).toEqual([{ username: "mallory", count: 1 }]);
    expect(summary.topFailingClients).toEqual([{ client: "asa", count: 1 }]);
  });
  it("counts a login logged by two workers under one loginId once: in the totals, by reason, in the top-failing lists", async () => {
    const since = new Date(Date.now() - 60_000);
    const user = `failover-${randomUUID()}`;
    const loginId = randomUUID();
    const event = (workerId: string, result: "success" | "failure" | "fraud", reason: string, id: string | null) => ({
      eventId: randomUUID(), time: new Date(), usernameRaw: user, username: user, result, reason, workerId, clientName: "asa-failover", loginId: id,
    });
    const before = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
    const deniedLogin = randomUUID();
    await db.prisma.authEvent.createMany({
      data: [
        // One denied push, answered by both workers the NAS asked.
        event("worker-a", "failure", "push_denied", deniedLogin),
        event("worker-b", "failure", "push_denied", deniedLogin),
        // One approved push: the verified-push round and both workers' accepts.
        event("worker-a", "failure", "challenge_issued", loginId),
        event("worker-a", "success", "valid_push", loginId),
        event("worker-b", "success", "valid_push", loginId),
        // Two logins without a push: each its own.
        event("worker-a", "failure", "primary_reject", null),
        event("worker-a", "failure", "primary_reject", null),
      ],
    });
    const after = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
    expect({ accepted: after.accepted - before.accepted, rejected: after.rejected - before.rejected }).toEqual({ accepted: 1, rejected: 3 });
    expect(after.topFailingUsers.find((row) => row.username === user)?.count).toBe(3);
    expect(after.topFailingClients.find((row) => row.client === "asa-failover")?.count).toBe(3);
    const count = (summary: typeof after, reason: string) => summary.byReason.filter((row) => row.reason === reason).reduce((sum, row) => sum + row.count, 0);
    expect(count(after, "push_denied") - count(before, "push_denied")).toBe(1);
    expect(count(after, "valid_push") - count(before, "valid_push")).toBe(1);
  });

  it("counts a challenge login by how it ended: a wrong code then the right one is one accepted login, not a failure anywhere", async () => {
    const since = new Date(Date.now() - 60_000);
    const tag = randomBytes(3).toString("hex");
    const client = `asa-rounds-${tag}`;
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs);
    const event = (username: string, result: "success" | "failure", reason: string, loginId: string | null, time: Date) => ({
      eventId: randomUUID(), time, usernameRaw: username, username, result, reason, workerId: "test", clientName: client, loginId,
    });
    const [recovered, abandoned, waiting, failover] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const before = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
    await db.prisma.authEvent.createMany({
      data: [
        // Wrong code, another round, the right code: one accepted login.
        event(`recovered-${tag}`, "failure", "challenge_issued", recovered, at(0)),
        event(`recovered-${tag}`, "failure", "invalid_passcode", recovered, at(1)),
        event(`recovered-${tag}`, "success", "valid_passcode", recovered, at(2)),
        // Wrong code, then nothing: the login ended on the wrong code.
        event(`abandoned-${tag}`, "failure", "challenge_issued", abandoned, at(0)),
        event(`abandoned-${tag}`, "failure", "invalid_passcode", abandoned, at(1)),
        // Asked, never answered (yet): nothing decided, only a round.
        event(`waiting-${tag}`, "failure", "challenge_issued", waiting, at(0)),
        // One worker let the user in, the other timed out later: accepted, and no failing reason counts it.
        event(`failover-${tag}`, "success", "valid_push", failover, at(0)),
        event(`failover-${tag}`, "failure", "no_response", failover, at(5)),
      ],
    });
    const after = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
    expect({ accepted: after.accepted - before.accepted, rejected: after.rejected - before.rejected }).toEqual({ accepted: 2, rejected: 1 });
    expect(after.topFailingUsers.filter((row) => row.username.endsWith(tag))).toEqual([{ username: `abandoned-${tag}`, count: 1 }]);
    expect(after.topFailingClients.find((row) => row.client === client)?.count).toBe(1);
    const count = (summary: TAuthSummary, reason: string) => summary.byReason.filter((row) => row.reason === reason).reduce((sum, row) => sum + row.count, 0);
    const delta = (reason: string) => count(after, reason) - count(before, reason);
    expect({ valid_passcode: delta("valid_passcode"), invalid_passcode: delta("invalid_passcode"), valid_push: delta("valid_push"), no_response: delta("no_response"), challenge_issued: delta("challenge_issued") }).toEqual({
      valid_passcode: 1,
      invalid_passcode: 1,
      valid_push: 1,
      no_response: 0,
      challenge_issued: 1,
    });
    expect(after.byReason.find((row) => row.reason === "challenge_issued")?.kind).toBe("round");
    expect(after.byReason.find((row) => row.reason === "valid_passcode")?.kind).toBe("login");
  });

  it("through a real worker: a challenge login's rounds carry one loginId, and wrong-then-right counts as one accepted login", async () => {
    const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "deny" });
    const secret = `rounds-${randomBytes(4).toString("hex")}`;
    await seedClient({ prisma: db.prisma, applicationId: application.id, address: "127.0.0.31", secret });
    const username = `rounds-${randomBytes(4).toString("hex")}`;
    const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("pw") } });
    const totp = new Secret({ size: 20 });
    await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(totp.base32), active: true } });
    const worker = await startTestWorker({ databaseUrl: db.url });
    const nas = await createUdpRadiusClient({ port: worker.authPort, secret, localAddress: "127.0.0.31" });
    try {
      const ask = (password: string, state?: Buffer) =>
        nas.exchange({ attributes: [textAttribute(Attr.UserName, username), ...(state ? [{ type: Attr.State, value: state }] : [])], password, timeoutMs: 8000 });
      const stateOf = (reply: Awaited<ReturnType<typeof ask>>) => reply?.attributes.find((attr) => attr.type === Attr.State)?.value;
      // Only this login's events from here on: the earlier cases' users cannot crowd it out of the top five.
      const since = new Date();
      const before = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
      // The worker serves the client once its snapshot has it.
      const first = await waitFor(async () => ask("pw"), { timeoutMs: 10_000 });
      expect(first?.code).toBe(RadiusCode.AccessChallenge);
      const code = TOTP.generate({ secret: totp });
      const retry = await ask(code === "000000" ? "000001" : "000000", stateOf(first));
      expect(retry?.code).toBe(RadiusCode.AccessChallenge);
      expect((await ask(code, stateOf(retry)))?.code).toBe(RadiusCode.AccessAccept);
      const events = await waitFor(async () => {
        const rows = await db.prisma.authEvent.findMany({ where: { username }, orderBy: { id: "asc" } });
        return rows.length >= 3 ? rows : undefined;
      }, { timeoutMs: 10_000 });
      expect(events?.map((row) => `${row.result}:${row.reason}`)).toEqual(["failure:challenge_issued", "failure:invalid_passcode", "success:valid_passcode"]);
      const loginIds = new Set(events?.map((row) => row.loginId));
      expect(loginIds.size).toBe(1);
      expect([...loginIds][0]).toMatch(/^[0-9a-f-]{36}$/);
      const after = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
      expect({ accepted: after.accepted - before.accepted, rejected: after.rejected - before.rejected }).toEqual({ accepted: 1, rejected: 0 });
      expect(after.topFailingUsers).toEqual([]);
    } finally {
      await nas.close();
      await worker.stop();
    }
  });
});
