import { z } from "zod";
import { applyMigrations } from "../db/migrate";
import { readMigrationStatus, type TMigrationStatus } from "../db/read-migration-status";
import { EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";

export const describeMigrationStatus = (status: TMigrationStatus): string[] => [
  `${status.applied.length} applied${status.pending.length === 0 ? ", none pending" : ""}`,
  ...status.pending.map((name) => `pending: ${name}`),
  ...status.failed.map((name) => `failed (started, never finished): ${name}`),
  ...status.edited.map((name) => `edited after it was applied: ${name}`),
  ...status.unknown.map((name) => `in the database but not in this checkout (newer code applied it): ${name}`),
];

export const migrateStatusCommand = defineCommand({
  path: ["migrate", "status"],
  summary: "Compare prisma/migrations with the database: applied, pending, failed, edited.",
  usage: "migrate status [--json]",
  details: [
    "Exit 0 when the database is current, 1 when a migration is pending, failed or was edited after it was applied",
    "(as `prisma migrate status` does). Migrations only in the database (newer code ran) are listed, not an error.",
    "  --json   {\"current\", \"applied\": [{\"name\", \"finishedAt\"}], \"pending\", \"failed\", \"edited\", \"unknown\"}",
  ].join("\n"),
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: noArguments("migrate status"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const { databaseUrl } = await context.database();
    const status = await readMigrationStatus({ databaseUrl });
    io.out(args.json ? JSON.stringify(status) : describeMigrationStatus(status).join("\n"));
    return status.current ? EXIT.ok : EXIT.failure;
  },
});

export const migrateDeployCommand = defineCommand({
  path: ["migrate", "deploy"],
  summary: "Apply pending migrations (what `npm run migrate` does; safe to run from several hosts at once).",
  usage: "migrate deploy [--json]",
  details: "  --json   {\"applied\": [names]}",
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: noArguments("migrate deploy"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const { databaseUrl } = await context.database();
    const applied = await applyMigrations({ databaseUrl, log: args.json ? undefined : io.out });
    io.out(args.json ? JSON.stringify({ applied }) : applied.length > 0 ? `applied ${applied.length}` : "database is up to date");
    return EXIT.ok;
  },
});
