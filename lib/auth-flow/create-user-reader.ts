import type pg from "pg";
import { lookupUser, type TFlowUser } from "./lookup-user";

export type TUserReader = (username: string) => Promise<TFlowUser | undefined>;

// Optional short-lived cache in front of the per-request user read (off unless `cacheMs` > 0). With it on, a change to
// a user (disabled, enrolled, lockout counter) reaches this worker up to `cacheMs` late — the same bound as a config
// reload — in exchange for one database round trip less per login. Only the I/O-free decisions use the cached facts;
// verifying a factor always reads fresh rows in lib/second-factor.
export const createUserReader = (options: { pool: pg.Pool; cacheMs?: number; now?: () => number }): TUserReader => {
  const cacheMs = options.cacheMs ?? 0;
  if (cacheMs <= 0) return (username) => lookupUser({ pool: options.pool, username });
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; user: Promise<TFlowUser | undefined> }>();
  return (username) => {
    const time = now();
    const hit = cache.get(username);
    if (hit && time - hit.at < cacheMs) return hit.user;
    if (cache.size > 10_000) for (const [key, entry] of cache) if (time - entry.at >= cacheMs) cache.delete(key);
    const user = lookupUser({ pool: options.pool, username });
    cache.set(username, { at: time, user });
    user.catch(() => cache.delete(username));
    return user;
  };
};
