import { readRun } from "./state";

// Tests seed rows the UI cannot create (auth events, locked-out users) straight into the run's database.
export const testPrisma = async () => {
  const run = readRun();
  process.env.DATABASE_URL = run.databaseUrl;
  process.env.TWOFOLD_SECRET_KEY = run.secretKey;
  const { prisma } = await import("../../lib/db");
  return prisma;
};
