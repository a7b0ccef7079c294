import { randomBytes } from "node:crypto";

export type TUpstreamChallenge = { upstreamState: Buffer; clientId: string; usernameRaw: string; expiresAt: number };

// Our State <-> the upstream's State for a relayed Access-Challenge. Twofold hands the NAS its own State (prefixed so
// it is never confused with a second-factor State) and swaps the upstream's back in on the answer. Per worker, in
// memory: an ASA sends the answer to the server that challenged.
export type TUpstreamChallengeStore = {
  issue: (entry: Omit<TUpstreamChallenge, "expiresAt">) => Buffer;
  take: (state: Buffer, clientId: string) => TUpstreamChallenge | undefined;
  isOurs: (state: Buffer) => boolean;
};

const PREFIX = Buffer.from("tfu1");

export const createUpstreamChallengeStore = (options: { ttlMs: number; now?: () => number }): TUpstreamChallengeStore => {
  const now = options.now ?? Date.now;
  const entries = new Map<string, TUpstreamChallenge>();
  return {
    issue: (entry) => {
      for (const [key, value] of entries) if (value.expiresAt <= now()) entries.delete(key);
      const state = Buffer.concat([PREFIX, randomBytes(16)]);
      entries.set(state.toString("hex"), { ...entry, expiresAt: now() + options.ttlMs });
      return state;
    },
    take: (state, clientId) => {
      const key = state.toString("hex");
      const entry = entries.get(key);
      if (!entry || entry.expiresAt <= now() || entry.clientId !== clientId) return undefined;
      entries.delete(key);
      return entry;
    },
    isOurs: (state) => state.length === PREFIX.length + 16 && state.subarray(0, PREFIX.length).equals(PREFIX),
  };
};
