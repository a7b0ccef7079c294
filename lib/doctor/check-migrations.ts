import { readMigrationStatus } from "../db/read-migration-status";
import { errorText, type TDoctorCheck } from "./doctor-types";

export const checkMigrations = async (options: { databaseUrl: string }): Promise<TDoctorCheck> => {
  try {
    const status = await readMigrationStatus({ databaseUrl: options.databaseUrl });
    const problems = [
      ...status.pending.map((name) => `pending ${name}`),
      ...status.failed.map((name) => `failed ${name}`),
      ...status.edited.map((name) => `edited after applying ${name}`),
    ];
    const newer = status.unknown.length > 0 ? `; ${status.unknown.length} applied by newer code` : "";
    return status.current
      ? { name: "migrations", ok: true, detail: `${status.applied.length} applied, none pending${newer}` }
      : { name: "migrations", ok: false, detail: `${problems.join(", ")} (twofold migrate deploy)${newer}` };
  } catch (error) {
    return { name: "migrations", ok: false, detail: errorText(error) };
  }
};
