import { errorText, type TDoctorCheck } from "./doctor-types";
import { createPgClient } from "../db/pg-connection";

// Where, without the password: enough to tell which server was asked.
export const describeDatabaseUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
};

export const checkDatabase = async (options: { databaseUrl: string; source: string }): Promise<TDoctorCheck> => {
  const started = performance.now();
  const client = createPgClient(options.databaseUrl, { connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    const ms = Math.round(performance.now() - started);
    return { name: "database", ok: true, detail: `PostgreSQL ${rows[0]?.version ?? "?"} at ${describeDatabaseUrl(options.databaseUrl)} (${options.source}), ${ms} ms` };
  } catch (error) {
    return { name: "database", ok: false, detail: `${describeDatabaseUrl(options.databaseUrl)} (${options.source}): ${errorText(error)}` };
  } finally {
    await client.end().catch(() => undefined);
  }
};
