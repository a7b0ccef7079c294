// The two pools share 2 × poolMax connections, unevenly: a passcode login's statements all go through the pg pool
// (read, claim, challenge State); Prisma serves config, heartbeat, push and enrollment. One rule, for the pools and
// for what the supervisor reports.
export const splitDatabasePools = (poolMax: number): { prismaMax: number; pgMax: number } => {
  const prismaMax = Math.max(2, Math.floor(poolMax / 2));
  return { prismaMax, pgMax: 2 * poolMax - prismaMax };
};
