import type { TPrisma } from "../db";

// NOTIFY through the normal pool: it is delivered on commit to every process LISTENing (each worker, the console).
export const notifyPush = async ({ prisma, channel, payload }: { prisma: TPrisma; channel: string; payload: string }): Promise<void> => {
  await prisma.$queryRaw`SELECT pg_notify(${channel}, ${payload})::text AS sent`;
};
