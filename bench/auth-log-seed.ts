// Seeds a realistic AuthEvent table for bench/auth-log-keyset.ts: 50,000 users (five hot ones with ~6 % of all
// events between them, 100k+ each at 10 M rows), 4 % of events from names that match nobody (userId null), four
// applications and six NAS clients, results and reasons mixed, typed names in three spellings, 5 % push logins
// sharing a loginId in pairs (a NAS failing over), and `days` of time with ids growing with time as the worker
// writes them. Loaded with the secondary indexes dropped and rebuilt afterwards (as a restore would): index-at-a-time
// inserts of 10 M random eventIds would take this machine hours and measure nothing the pages do.
import type pg from "pg";

export const SEED_USERS = 50_000;
export const HOT_USERS = 5;
export const userName = (index: number) => `user${String(index).padStart(5, "0")}`;

const APPS = [0, 1, 2, 3];
const CLIENTS = ["vpn-asa-1", "vpn-asa-2", "wifi-ise", "nps-gw", "ssh-bastion", "citrix"];

export const seedDirectory = async (client: pg.Client) => {
  await client.query(`INSERT INTO "User" (id, username, "updatedAt")
    SELECT md5('user' || lpad(u::text, 5, '0'))::uuid, 'user' || lpad(u::text, 5, '0'), now() FROM generate_series(0, ${SEED_USERS - 1}) u`);
  for (const app of APPS) {
    await client.query(`INSERT INTO "Application" (id, name, ikey, skey, "updatedAt") VALUES (md5('app${app}')::uuid, 'bench-app-${app}', 'DIBENCH0000000000${app}', 'unused', now())`);
  }
};

// The indexes the migrations put on AuthEvent, except its primary key: dropped for the load, rebuilt after.
export const dropAuthEventIndexes = async (client: pg.Client): Promise<string[]> => {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'AuthEvent' AND indexname <> 'AuthEvent_pkey'`,
  );
  for (const row of rows) await client.query(`DROP INDEX "${row.name}"`);
  return rows.map((row) => row.def);
};

export const createIndexes = async (client: pg.Client, definitions: string[]) => {
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const definition of definitions) await client.query(definition);
  await client.query(`ANALYZE "AuthEvent"`);
};

// Rows first..last (1-based) of `total`, spread over `days` ending at `end` (UTC, as the columns hold it).
export const seedAuthEvents = async (options: { client: pg.Client; first: number; last: number; total: number; days: number; end: Date; chunk?: number }) => {
  const { client, total, days } = options;
  const chunk = options.chunk ?? 500_000;
  const end = options.end.toISOString().replace("T", " ").replace("Z", "");
  // Foreign keys hold by construction (ids derived from the same md5); skipping their triggers saves a lookup a row.
  await client.query(`SET session_replication_role = replica`);
  for (let low = options.first; low <= options.last; low += chunk) {
    const high = Math.min(options.last, low + chunk - 1);
    await client.query(`
      WITH g AS (
        SELECT g, (g::bigint * 2654435761) % 100 AS r,
               CASE WHEN g % 16 = 0 THEN g % ${HOT_USERS} ELSE (g::bigint * 40503) % ${SEED_USERS} END AS u
          FROM generate_series(${low}, ${high}) g
      ), n AS (
        SELECT g, r, CASE WHEN g % 25 = 1 THEN 'unknown' || (g % 100000) ELSE 'user' || lpad(u::text, 5, '0') END AS name FROM g
      )
      INSERT INTO "AuthEvent" ("eventId", "time", "usernameRaw", username, "userId", "applicationId", "clientName", "nasIp",
                               "callingStationId", factor, result, reason, "primaryMs", "secondFactorMs", "workerId", "loginId")
      SELECT gen_random_uuid(),
             '${end}'::timestamp - interval '${days} days' + (g::float8 / ${total}) * interval '${days} days',
             CASE g % 3 WHEN 0 THEN 'CORP\\' || name WHEN 1 THEN name || '@corp.example' ELSE name END,
             name,
             CASE WHEN g % 25 = 1 THEN NULL ELSE md5(name)::uuid END,
             CASE WHEN g % 5 = 4 THEN NULL ELSE md5('app' || (g % 5))::uuid END,
             (ARRAY['${CLIENTS.join("','")}'])[1 + g % ${CLIENTS.length}],
             '10.0.' || (g % 6) || '.1', '198.51.100.' || (g % 250),
             CASE WHEN r < 60 THEN 'totp' WHEN r < 85 THEN 'push' ELSE NULL END,
             (CASE WHEN r < 80 THEN 'success' WHEN r < 96 THEN 'failure' WHEN r < 99 THEN 'error' ELSE 'fraud' END)::"AuthResult",
             CASE WHEN r < 55 THEN 'valid_passcode' WHEN r < 78 THEN 'valid_push' WHEN r < 80 THEN 'challenge_issued'
                  WHEN r < 88 THEN 'invalid_passcode' WHEN r < 93 THEN 'primary_reject' WHEN r < 96 THEN 'push_denied'
                  WHEN r < 99 THEN 'upstream_error' ELSE 'user_marked_fraud' END,
             20 + (g % 80), CASE WHEN r < 85 THEN 5 + (g % 3000) END, 'bench-' || (g % 2),
             CASE WHEN r BETWEEN 60 AND 64 THEN md5('login' || (g / 2))::uuid END
        FROM n`);
  }
  await client.query(`SET session_replication_role = DEFAULT`);
};
