import type { TStartWorkerOptions } from "../../worker/start-worker";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { startTestWorker } from "./start-test-worker";
import { waitUntilServing } from "./wait-until-serving";

type TTestWorker = Awaited<ReturnType<typeof startTestWorker>>;

export type TStartWorkerPairOptions = {
  secret: string; // the NAS client's (radclient's, on 127.0.0.1)
  application: Omit<Parameters<typeof seedApplication>[0], "prisma">;
  worker?: Partial<TStartWorkerOptions>; // given to both
  // false: the test itself copes with a worker that has not loaded the client yet (a NAS that retransmits).
  waitUntilServing?: boolean;
};

// Two workers on one database of their own, serving one application's NAS client: what a test of anything shared
// between workers (a push, a lockout, a login failed over) starts from. Everything started is stopped should a later
// step fail, and by `stop`.
export const startWorkerPair = async (options: TStartWorkerPairOptions) => {
  const db = await createIsolatedDatabase();
  const workers: TTestWorker[] = [];
  const stop = async () => {
    for (const worker of workers) await worker.stop();
    await db.drop();
  };
  try {
    const application = await seedApplication({ prisma: db.prisma, ...options.application });
    await seedClient({ prisma: db.prisma, applicationId: application.id, secret: options.secret });
    workers.push(await startTestWorker({ ...options.worker, databaseUrl: db.url }));
    workers.push(await startTestWorker({ ...options.worker, databaseUrl: db.url }));
    const [workerA, workerB] = workers as [TTestWorker, TTestWorker];
    if (options.waitUntilServing !== false) await waitUntilServing({ ports: [workerA.authPort, workerB.authPort], secret: options.secret });
    return { db, applicationId: application.id, workerA, workerB, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
