// RFC 5080 §2.2.2 duplicate detection. Key = source address + port + identifier + authenticator: a reused identifier
// with a new authenticator is a new request. In progress → absorb; answered → re-send the same bytes for `ttlMs`.
export type TRetransmitState = { kind: "new" } | { kind: "in_progress" } | { kind: "answered"; response: Buffer };

export type TRetransmitCache = {
  begin: (key: string) => TRetransmitState;
  complete: (key: string, response: Buffer) => void;
  abandon: (key: string) => void; // the request was dropped: a retransmit should be processed afresh
  size: () => number;
  stop: () => void;
};

export const retransmitKey = (address: string, port: number, identifier: number, authenticator: Buffer): string =>
  `${address}|${port}|${identifier}|${authenticator.toString("base64")}`;

export const createRetransmitCache = (options: { ttlMs: number; now?: () => number }): TRetransmitCache => {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { response?: Buffer; expiresAt: number }>();
  // Insertion order is expiry order for answered entries, so the sweep stops at the first live one.
  const sweep = setInterval(() => {
    const time = now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt > time) continue;
      entries.delete(key);
    }
  }, Math.max(1000, Math.floor(options.ttlMs / 4)));
  sweep.unref();
  return {
    begin: (key) => {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) return entry.response ? { kind: "answered", response: entry.response } : { kind: "in_progress" };
      // In-progress entries expire too (after 10 minutes), so a stuck request never blocks its retransmits forever.
      entries.set(key, { expiresAt: now() + 600_000 });
      return { kind: "new" };
    },
    complete: (key, response) => {
      entries.delete(key);
      entries.set(key, { response, expiresAt: now() + options.ttlMs });
    },
    abandon: (key) => void entries.delete(key),
    size: () => entries.size,
    stop: () => clearInterval(sweep),
  };
};
