import { randomBytes } from "node:crypto";
import type pg from "pg";

export type TUpstreamChallenge = { upstreamState: Buffer; clientId: string; usernameRaw: string };

// Our State <-> the upstream's State for a relayed Access-Challenge. The NAS gets Twofold's own State (prefixed so it
// is never confused with a second-factor State) and the upstream's is swapped back in on the answer. Kept in the
// shared ChallengeState table, so the answer may reach any worker; single use (DELETE ... RETURNING).
export type TUpstreamChallengeStore = {
  issue: (entry: TUpstreamChallenge) => Promise<Buffer>;
  take: (state: Buffer, clientId: string) => Promise<TUpstreamChallenge | undefined>;
  isOurs: (state: Buffer) => boolean;
};

const PREFIX = Buffer.from("tfu1");

export const createUpstreamChallengeStore = (options: { pool: pg.Pool; ttlMs: number }): TUpstreamChallengeStore => ({
  issue: async (entry) => {
    const state = Buffer.concat([PREFIX, randomBytes(16)]);
    await options.pool.query(
      `INSERT INTO "ChallengeState" ("id", "clientId", "username", "data", "expiresAt")
       VALUES ($1, $2, $3, $4, (now() AT TIME ZONE 'UTC') + make_interval(secs => $5))`,
      [state.toString("hex"), entry.clientId, entry.usernameRaw, JSON.stringify({ kind: "upstream", upstreamState: entry.upstreamState.toString("hex") }), options.ttlMs / 1000],
    );
    return state;
  },
  take: async (state, clientId) => {
    const result = await options.pool.query(
      `DELETE FROM "ChallengeState" WHERE "id" = $1 AND "clientId" = $2 AND "expiresAt" > (now() AT TIME ZONE 'UTC')
       RETURNING "username", "data"`,
      [state.toString("hex"), clientId],
    );
    const row = result.rows[0] as { username: string; data: { kind?: string; upstreamState?: string } } | undefined;
    if (!row || row.data.kind !== "upstream" || typeof row.data.upstreamState !== "string") return undefined;
    return { upstreamState: Buffer.from(row.data.upstreamState, "hex"), clientId, usernameRaw: row.username };
  },
  isOurs: (state) => state.length === PREFIX.length + 16 && state.subarray(0, PREFIX.length).equals(PREFIX),
});
