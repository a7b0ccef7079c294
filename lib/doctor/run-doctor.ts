import type { TPrisma } from "../db";
import type { TServerEnv } from "../env/server-env";
import { checkClockSkew } from "./check-clock-skew";
import { checkDatabase } from "./check-database";
import { checkMigrations } from "./check-migrations";
import { checkPorts } from "./check-ports";
import { checkSecretKey } from "./check-secret-key";
import { checkUpstreams } from "./check-upstreams";
import { skipped, type TDoctorCheck } from "./doctor-types";

export type TDoctorDatabase = { prisma: TPrisma; databaseUrl: string; secretKey?: string; source: string };

// Every check runs even when an earlier one failed (an operator wants the whole list at once), except those that
// need the database when there is none.
export const runDoctor = async (options: {
  env: TServerEnv;
  // Either the database to examine or why there is none (no DATABASE_URL and no embedded database).
  database: TDoctorDatabase | { error: string };
  accessProbe?: boolean;
}): Promise<TDoctorCheck[]> => {
  const { env } = options;
  const ports = checkPorts({
    radiusHost: env.TWOFOLD_RADIUS_HOST,
    authPort: env.TWOFOLD_RADIUS_AUTH_PORT,
    acctPort: env.TWOFOLD_RADIUS_ACCT_PORT,
    coaPorts: env.TWOFOLD_COA_PORTS,
    apiHost: env.TWOFOLD_API_HOST,
    apiPort: env.TWOFOLD_API_PORT === "off" ? undefined : env.TWOFOLD_API_PORT,
    healthHost: env.TWOFOLD_HEALTH_HOST,
    healthPort: env.TWOFOLD_HEALTH_PORT,
  });
  if ("error" in options.database) {
    return [
      { name: "database", ok: false, detail: options.database.error },
      skipped("migrations", "no database"),
      skipped("secret key", "no database to try it on"),
      await ports,
      skipped("upstream servers", "no database"),
      skipped("clock", "no database"),
    ];
  }
  const { prisma, databaseUrl, secretKey, source } = options.database;
  const database = await checkDatabase({ databaseUrl, source });
  if (!database.ok) {
    return [database, skipped("migrations", "database unreachable"), skipped("secret key", "database unreachable"), await ports, skipped("upstream servers", "database unreachable"), skipped("clock", "database unreachable")];
  }
  const [migrations, key, upstreams, clock] = await Promise.all([
    checkMigrations({ databaseUrl }),
    checkSecretKey({ prisma, secretKey }),
    checkUpstreams({ prisma, accessProbe: options.accessProbe }),
    checkClockSkew({ databaseUrl }),
  ]);
  return [database, migrations, key, await ports, ...upstreams, clock];
};
