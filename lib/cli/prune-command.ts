import { z } from "zod";
import { pruneOldRecords, type TPruneKind } from "../retention/prune-old-records";
import { ZAgeSchema } from "../retention/age-schema";
import { CLI_ACTOR, EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";

const LABELS: readonly (readonly [TPruneKind, string])[] = [
  ["authEvents", "auth events"],
  ["accountingEvents", "accounting events"],
  ["radiusSessions", "ended or abandoned NAS sessions"],
  ["pushRequests", "finished push requests"],
  ["enrollmentLinks", "used or expired enrollment links"],
  ["challengeStates", "expired challenge states"],
  ["apiTransactions", "finished Duo API transactions"],
];
const label = (kind: TPruneKind) => LABELS.find(([candidate]) => candidate === kind)?.[1] ?? kind;

export const pruneCommand = defineCommand({
  path: ["prune"],
  summary: "Delete history older than an age: auth and accounting log, ended sessions, finished pushes, old enrollment links, expired States.",
  usage: "prune --older-than <age> [--dry-run] [--batch-size <n>] [--json]",
  details: [
    "  --older-than <age>  400d or 57w (at least 1d). Expired challenge States go whatever their age.",
    "  --dry-run           count what would go, delete nothing",
    "  --batch-size <n>    rows per DELETE (default 5000): short locks while the workers keep writing",
    "  --json              {\"dryRun\", \"cutoff\", \"counts\": {\"authEvents\", \"accountingEvents\", \"radiusSessions\", \"pushRequests\", \"enrollmentLinks\", \"challengeStates\", \"apiTransactions\"}}",
    "NAS sessions go when they ended before the cutoff, or when no accounting touched them since (a lost Stop).",
    "The admin audit log is kept. Workers can do this daily themselves: TWOFOLD_RETENTION_DAYS. Audited as done by \"cli\".",
  ].join("\n"),
  options: { "older-than": { type: "string" }, "dry-run": { type: "boolean" }, "batch-size": { type: "string" }, ...JSON_OPTION },
  schema: z.object({
    positionals: noArguments("prune"),
    "older-than": ZAgeSchema,
    "dry-run": z.boolean().default(false),
    "batch-size": z.coerce.number().int("must be a whole number").min(1).max(100_000).default(5000),
    json: ZJsonFlagSchema,
  }),
  run: async ({ args, io, context }) => {
    const { prisma } = await context.database();
    const dryRun = args["dry-run"];
    const reported = new Map<TPruneKind, number>();
    const result = await pruneOldRecords({
      prisma,
      olderThanDays: args["older-than"].days,
      dryRun,
      batchSize: args["batch-size"],
      actor: CLI_ACTOR,
      // Progress on stderr: a long first prune shows it is moving, and stdout stays the result alone.
      onProgress: (kind, deleted) => {
        if (args.json || deleted - (reported.get(kind) ?? 0) < 100_000) return;
        reported.set(kind, deleted);
        io.err(`  … ${deleted} ${label(kind)}`);
      },
    });
    if (args.json) io.out(JSON.stringify({ dryRun, cutoff: result.cutoff.toISOString(), counts: result.counts }));
    else {
      io.out(`${dryRun ? "would delete" : "deleted"} (older than ${args["older-than"].text}, before ${result.cutoff.toISOString()}):`);
      for (const [kind, text] of LABELS) io.out(`  ${String(result.counts[kind]).padStart(9)}  ${text}`);
    }
    return EXIT.ok;
  },
});
