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
});
