import type pg from "pg";

// What the shipper needs of its connection: text + params in, rows out (rows are parsed with zod by the reader).
export type TSiemDb = { query: (text: string, params: unknown[]) => Promise<{ rows: unknown[]; rowCount: number | null }> };

// The targets' loops share the one connection that holds the leader lock; pg wants one query at a time on a client,
// so they take turns.
export const serializedDb = (client: pg.Client): TSiemDb => {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    query: (text, params) => {
      const run = tail.then(() => client.query(text, params));
      tail = run.catch(() => undefined);
      return run;
    },
  };
};
