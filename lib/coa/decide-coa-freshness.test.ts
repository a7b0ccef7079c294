import { describe, expect, it } from "vitest";
import { COA_REPLAY_WINDOW_MS, decideCoaFreshness } from "./decide-coa-freshness";

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const stamp = (ms: number) => {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(Math.floor(ms / 1000));
  return value;
};

describe("CoA freshness (RFC 5176 §6.3)", () => {
  it("takes a request without Event-Timestamp and remembers it for the window", () => {
    expect(decideCoaFreshness({ eventTimestamp: undefined, nowMs: NOW, seenUntilMs: undefined })).toEqual({ ok: true, rememberUntilMs: NOW + COA_REPLAY_WINDOW_MS });
  });

  it("takes an Event-Timestamp up to 300 s either side of now, and drops one beyond", () => {
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW - 300_000), nowMs: NOW, seenUntilMs: undefined }).ok).toBe(true);
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW + 300_000), nowMs: NOW, seenUntilMs: undefined }).ok).toBe(true);
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW - 301_000), nowMs: NOW, seenUntilMs: undefined })).toMatchObject({ ok: false, reason: "stale_event_timestamp", detail: expect.stringContaining("-301 s") });
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW + 301_000), nowMs: NOW, seenUntilMs: undefined })).toMatchObject({ ok: false, reason: "stale_event_timestamp" });
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW - 20_000), nowMs: NOW, seenUntilMs: undefined, windowMs: 10_000 }).ok).toBe(false);
  });

  it("drops an Event-Timestamp that is not 4 bytes: its freshness cannot be told", () => {
    expect(decideCoaFreshness({ eventTimestamp: Buffer.from([1, 2, 3]), nowMs: NOW, seenUntilMs: undefined })).toMatchObject({ ok: false, reason: "stale_event_timestamp" });
  });

  it("remembers a timestamped request until the window past its timestamp closes", () => {
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW + 100_000), nowMs: NOW, seenUntilMs: undefined })).toEqual({ ok: true, rememberUntilMs: NOW + 100_000 + COA_REPLAY_WINDOW_MS });
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW - 100_000), nowMs: NOW, seenUntilMs: undefined })).toEqual({ ok: true, rememberUntilMs: NOW + COA_REPLAY_WINDOW_MS });
  });

  it("drops a request already seen while it is remembered, fresh timestamp or not", () => {
    expect(decideCoaFreshness({ eventTimestamp: undefined, nowMs: NOW, seenUntilMs: NOW + 1 })).toMatchObject({ ok: false, reason: "replayed_request" });
    expect(decideCoaFreshness({ eventTimestamp: stamp(NOW), nowMs: NOW, seenUntilMs: NOW + 60_000 })).toMatchObject({ ok: false, reason: "replayed_request" });
    expect(decideCoaFreshness({ eventTimestamp: undefined, nowMs: NOW, seenUntilMs: NOW }).ok).toBe(true);
  });
});
