import pg from "pg";
import { waitFor } from "../../worker/test-support/wait-for";

// Holds a row lock in an open transaction so a test can act while the code under test is provably parked on that
// row (seen in pg_locks, not guessed from a sleep), then let it go on.
export const holdRowLock = async (options: { databaseUrl: string; table: "Authenticator" | "User" | "EnrollmentLink"; id: string }) => {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  await client.query("BEGIN");
  await client.query(`SELECT 1 FROM "${options.table}" WHERE id = $1 FOR UPDATE`, [options.id]);
  const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
  return {
    // Resolves once another session waits on this transaction's lock.
    // Polled from a second session: inside a transaction pg_stat_activity is a snapshot taken at its first read.
    waitUntilBlocking: async (): Promise<boolean> => {
      const observer = new pg.Client({ connectionString: options.databaseUrl });
      await observer.connect();
      try {
        const seen = await waitFor(async () => {
          const blocked = await observer.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", [pid]);
          return Number(blocked.rows[0]?.n ?? 0) > 0 ? true : undefined;
        }, { timeoutMs: 15_000 });
        return seen ?? false;
      } finally {
        await observer.end();
      }
    },
    release: async () => {
      await client.query("COMMIT");
      await client.end();
    },
  };
};
