import { readUser, type TAuthUser, type TSqlQuery, type TUserKey } from "./read-user";

export type TUserReader = (key: TUserKey) => Promise<TAuthUser | undefined>;

// Optional short-lived cache in front of the per-request user read (off unless `cacheMs` > 0), by username only. With
// it on, a change to a user (disabled, enrolled) reaches this worker's I/O-free decisions up to `cacheMs` late — the
// same bound as a config reload — in exchange for one round trip less per login. Whatever grants access on a factor
// (a passcode, a push approval, a challenge answer) re-checks the row in the transaction that grants it.
export const createUserReader = (options: { query: TSqlQuery; cacheMs?: number; now?: () => number }): TUserReader => {
  const cacheMs = options.cacheMs ?? 0;
  const read: TUserReader = (key) => readUser({ query: options.query, key });
  if (cacheMs <= 0) return read;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; user: Promise<TAuthUser | undefined> }>();
  return (key) => {
    if (!("username" in key)) return read(key);
    const time = now();
    const hit = cache.get(key.username);
    if (hit && time - hit.at < cacheMs) return hit.user;
    if (cache.size > 10_000) for (const [name, entry] of cache) if (time - entry.at >= cacheMs) cache.delete(name);
    const user = read(key);
    cache.set(key.username, { at: time, user });
    user.catch(() => cache.delete(key.username));
    return user;
  };
};
