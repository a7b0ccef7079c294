// The promise's outcome, or undefined as soon as `signal` aborts (the worker is stopping). The listener is removed
// when the promise settles first: one long-lived signal serves every request without piling up listeners.
export const unlessClosed = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> => {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined); // nobody waits for it any more; its failure is not an unhandled rejection
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
};
