// RFC 5176 §6.3 (replay protection): how far Event-Timestamp may be from this host's clock, either way.
export const COA_REPLAY_WINDOW_MS = 300_000;

export type TCoaFreshness =
  | { ok: true; rememberUntilMs: number }
  | { ok: false; reason: "stale_event_timestamp" | "replayed_request"; detail: string };

// Whether a CoA/Disconnect-Request that proved the sender's secret may be acted on. An Event-Timestamp outside the
// window (or one that is not 4 bytes) is a capture played back late; a request the same sender already sent with
// this Request Authenticator (`seenUntilMs`, from lib/coa/create-coa-replay-memory.ts) is one played back early, after
// the retransmit cache let go of it. Requests without Event-Timestamp are taken (radclient, older servers) and
// remembered for the window. A timestamped one is remembered until the window past its timestamp closes: a copy can
// no longer pass the first test after that.
export const decideCoaFreshness = (options: { eventTimestamp: Buffer | undefined; nowMs: number; seenUntilMs: number | undefined; windowMs?: number }): TCoaFreshness => {
  const windowMs = options.windowMs ?? COA_REPLAY_WINDOW_MS;
  let stampMs: number | undefined;
  if (options.eventTimestamp !== undefined) {
    if (options.eventTimestamp.length !== 4) return { ok: false, reason: "stale_event_timestamp", detail: `Event-Timestamp of ${options.eventTimestamp.length} bytes` };
    stampMs = options.eventTimestamp.readUInt32BE(0) * 1000;
    const skewSec = Math.round((stampMs - options.nowMs) / 1000);
    if (Math.abs(stampMs - options.nowMs) > windowMs) {
      return { ok: false, reason: "stale_event_timestamp", detail: `Event-Timestamp ${new Date(stampMs).toISOString()} is ${skewSec} s from now (window ±${windowMs / 1000} s)` };
    }
  }
  if (options.seenUntilMs !== undefined && options.seenUntilMs > options.nowMs) {
    return { ok: false, reason: "replayed_request", detail: "this server already sent a request with this Request Authenticator: a replay" };
  }
  return { ok: true, rememberUntilMs: Math.max(options.nowMs, stampMs ?? 0) + windowMs };
};
