// Capped exponential backoff with "equal jitter": half the step fixed, half random, so a fleet of workers that lost
// the database together spreads its reconnects, and no delay is ever near zero.
export type TBackoff = { minMs: number; maxMs: number };

export const reconnectDelayMs = ({ failures, minMs = 250, maxMs = 30_000, random = Math.random }: { failures: number; random?: () => number } & Partial<TBackoff>): number => {
  const step = Math.min(maxMs, minMs * 2 ** Math.min(failures, 30));
  return Math.round(step / 2 + random() * (step / 2));
};
