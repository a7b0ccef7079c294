export type TCoaReplayMemory = {
  seenUntil: (key: string, nowMs: number) => number | undefined; // when the remembered request stops counting, if it still does
  remember: (key: string, untilMs: number, nowMs: number) => void;
  size: () => number;
};

// The key for one request: its sender and its Request Authenticator (an MD5 over the whole packet and the secret,
// so a new request has a new one).
export const coaReplayKey = (address: string, authenticator: Buffer) => `${address}|${authenticator.toString("base64")}`;

// CoA/Disconnect-Requests this process acted on, for decideCoaFreshness. Only requests that proved the sender's
// secret are remembered, so a flood from elsewhere cannot fill it; past `maxEntries` (a misbehaving upstream) the
// oldest go first. Expired entries are swept at most every `sweepEveryMs`.
export const createCoaReplayMemory = (options: { maxEntries?: number; sweepEveryMs?: number } = {}): TCoaReplayMemory => {
  const maxEntries = options.maxEntries ?? 100_000;
  const sweepEveryMs = options.sweepEveryMs ?? 30_000;
  const entries = new Map<string, number>();
  let sweptAt = 0;
  const sweep = (nowMs: number) => {
    sweptAt = nowMs;
    for (const [key, untilMs] of entries) if (untilMs <= nowMs) entries.delete(key);
  };
  return {
    seenUntil: (key, nowMs) => {
      const untilMs = entries.get(key);
      return untilMs !== undefined && untilMs > nowMs ? untilMs : undefined;
    },
    remember: (key, untilMs, nowMs) => {
      if (nowMs - sweptAt >= sweepEveryMs || entries.size >= maxEntries) sweep(nowMs);
      entries.delete(key);
      entries.set(key, untilMs);
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    size: () => entries.size,
  };
};
