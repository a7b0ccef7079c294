// Group commit: the first entry starts a write at once; entries that arrive while that write (and its fdatasync) is
// in progress wait and share the next one. However many requests are in flight, each waits at most for the write in
// progress plus its own, and the disk sees one fsync per group, not per event.
export type TGroupCommit<E> = {
  add: (entry: E) => Promise<void>; // settles when the write holding `entry` has; rejects with that write's error
  idle: () => Promise<void>; // every entry added so far has been written (or failed)
};

export const createGroupCommit = <E>(options: { write: (entries: E[]) => Promise<void> }): TGroupCommit<E> => {
  type TWaiter = { entry: E; resolve: () => void; reject: (error: unknown) => void };
  let waiting: TWaiter[] = [];
  let writing: Promise<void> | undefined;

  const drain = async () => {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        await options.write(group.map((waiter) => waiter.entry));
        for (const waiter of group) waiter.resolve();
      } catch (error) {
        for (const waiter of group) waiter.reject(error);
      }
    }
    writing = undefined;
  };

  return {
    add: (entry) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ entry, resolve, reject });
        // A microtask, not a timer: entries added by the same synchronous run join the first group, nothing waits idly.
        writing ??= Promise.resolve().then(drain);
      }),
    idle: async () => {
      while (writing) await writing;
    },
  };
};
