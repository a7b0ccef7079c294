// Per-email and per-IP failure counting for the console sign-in (password and TOTP steps). In memory: the console is
// one process, and a restart forgetting the counts only helps an attacker by one window.
const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 8;

type TEntry = { failures: number; windowStart: number };
const entries = new Map<string, TEntry>();

const current = (key: string, now: number): TEntry => {
  const entry = entries.get(key);
  if (!entry || now - entry.windowStart > WINDOW_MS) return { failures: 0, windowStart: now };
  return entry;
};

export const isSignInThrottled = (options: { keys: string[]; now?: number }): boolean => {
  const now = options.now ?? Date.now();
  return options.keys.some((key) => current(key, now).failures >= MAX_FAILURES);
};

export const recordSignInFailure = (options: { keys: string[]; now?: number }): void => {
  const now = options.now ?? Date.now();
  for (const key of options.keys) {
    const entry = current(key, now);
    entries.set(key, { failures: entry.failures + 1, windowStart: entry.windowStart });
  }
  // Bound memory under a spray of made-up emails.
  if (entries.size > 10_000) for (const [key, entry] of entries) if (now - entry.windowStart > WINDOW_MS) entries.delete(key);
};

export const clearSignInFailures = (options: { keys: string[] }): void => {
  for (const key of options.keys) entries.delete(key);
};
