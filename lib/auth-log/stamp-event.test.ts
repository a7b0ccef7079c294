import { describe, expect, it } from "vitest";
import { ZAccountingEventSchema, ZAuthEventSchema } from "./auth-event-schema";
import { stampEvent } from "./stamp-event";

describe("stampEvent", () => {
  it("fills eventId, time and workerId where the caller gave none, and keeps them where it did", () => {
    const stamped = stampEvent({ schema: ZAccountingEventSchema, kind: "accounting", workerId: "w-1", input: { username: "alice", statusType: "Start" } });
    expect(stamped.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stamped.time).toBeInstanceOf(Date);
    expect(stamped.workerId).toBe("w-1");
    const given = { eventId: "6f1c1d7e-8a7b-4c1e-9a55-3f1f2b0c9d10", time: new Date("2026-12-04T00:00:00Z"), workerId: "w-2" };
    expect(stampEvent({ schema: ZAccountingEventSchema, kind: "accounting", workerId: "w-1", input: { username: "alice", statusType: "Start", ...given } })).toMatchObject(given);
  });

  it("refuses an event that would not insert, naming every field at fault and the kind of event", () => {
    const refuse = () => stampEvent({ schema: ZAuthEventSchema, kind: "auth", workerId: "w-1", input: { usernameRaw: "a", username: "a", result: "success", reason: "accepted", userId: "not-a-uuid", primaryMs: -1 } });
    expect(refuse).toThrow(/^Invalid auth event: userId: .+; primaryMs: /);
  });
});
