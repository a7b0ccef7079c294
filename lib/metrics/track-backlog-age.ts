// How long a queue (the auth-log journal not yet in PostgreSQL) has been non-empty: the replay lag an alert can use.
// Sampled every `intervalMs` and at each read, so it is exact to about one interval; 0 while the queue drains between
// samples, which is what a healthy worker's group commit (a few ms) looks like.
export const trackBacklogAge = (options: { pending: () => number; intervalMs?: number; now?: () => number }) => {
  const now = options.now ?? Date.now;
  let since: number | undefined;
  const sample = () => {
    if (options.pending() === 0) since = undefined;
    else since ??= now();
  };
  const timer = setInterval(sample, options.intervalMs ?? 1000);
  timer.unref();
  return {
    ageSeconds: () => {
      sample();
      return since === undefined ? 0 : (now() - since) / 1000;
    },
    stop: () => clearInterval(timer),
  };
};
