import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { summarizeAuthEvents } from "./summarize-auth-events";

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
});
