import { z } from "zod";
import { createPrismaClient, type TPrisma } from "../db";
import { waitFor } from "../../worker/test-support/wait-for";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

export type THeldUserRow = {
  // Resolves once some other connection is waiting on this transaction (the code under test reached the row).
  waitUntilBlocking: () => Promise<void>;
  commit: () => Promise<void>;
};

const ZPidSchema = z.array(z.object({ pid: z.number() }));
const ZCountSchema = z.array(z.object({ waiting: z.number() }));

// Another writer in the middle of its own transaction on one user (a worker locking the user out, an admin
// disabling them): it has locked the row and changed it, not yet committed. What the code under test does meanwhile
// decides the race; commit() lets it go on. A connection of its own, so the waiting can be seen in pg_stat_activity.
export const holdUserRow = async (options: { databaseUrl: string; id: string; change: (tx: TTx) => Promise<unknown> }): Promise<THeldUserRow> => {
  const client = createPrismaClient({ url: options.databaseUrl, max: 2 });
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let ready: (pid: number) => void = () => {};
  let failed: (error: unknown) => void = () => {};
  const started = new Promise<number>((resolve, reject) => ((ready = resolve), (failed = reject)));
  const done = client
    .$transaction(
      async (tx) => {
        const [row] = ZPidSchema.parse(await tx.$queryRaw`SELECT pg_backend_pid() AS pid`);
        await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${options.id}::uuid FOR UPDATE`;
        await options.change(tx);
        ready(row?.pid ?? 0);
        await released;
      },
      { timeout: 30_000 },
    )
    .finally(() => client.$disconnect());
  // Failing before the row was held rejects the start; after, the commit.
  done.catch((error: unknown) => failed(error));
  const pid = await started;
  return {
    waitUntilBlocking: async () => {
      const blocked = await waitFor(async () => {
        const [row] = ZCountSchema.parse(await client.$queryRaw`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`);
        return (row?.waiting ?? 0) > 0 ? true : undefined;
      }, { timeoutMs: 10_000 });
      if (!blocked) throw new Error("nothing waited on the held row");
    },
    commit: async () => {
      release();
      await done;
    },
  };
};
