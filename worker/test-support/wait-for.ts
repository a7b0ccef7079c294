// Polls until `check` returns a value or the bound passes (a liveness bound, not a timing assertion).
export const waitFor = async <T>(check: () => Promise<T | undefined> | T | undefined, options: { timeoutMs: number; intervalMs?: number }): Promise<T | undefined> => {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
  return undefined;
};
