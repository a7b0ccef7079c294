import { chmod, writeFile } from "node:fs/promises";
import { z } from "zod";
import { exportConfig } from "../config-transfer/export-config";
import { readConfigDocument } from "../config-transfer/read-config-document";
import { parseSecretKey } from "../secrets/secret-key";
import { EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, oneArgument, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";
import { readInputFile } from "./read-input-file";
import { runConfigPlan } from "./run-config-plan";

export const configExportCommand = defineCommand({
  path: ["config", "export"],
  summary: "Write applications, policies, RADIUS clients, primary servers and groups as JSON (secrets never in clear).",
  usage: "config export [--out <file>] [--reencrypt-for <key file>]",
  details: [
    "By name, not by id, so the file imports into another installation. Secrets (shared secrets, bind passwords, skeys)",
    "are left out, or with --reencrypt-for re-encrypted for the key in that file (32 bytes, base64 or hex, as",
    "TWOFOLD_SECRET_KEY): only an installation with that key can read them. Users, authenticators and logs are not",
    "configuration and are not exported. --out writes the file mode 600; without it the JSON goes to stdout.",
  ].join("\n"),
  options: { out: { type: "string" }, "reencrypt-for": { type: "string" } },
  schema: z.object({ positionals: noArguments("config export"), out: z.string().min(1).optional(), "reencrypt-for": z.string().min(1).optional() }),
  run: async ({ args, io, context }) => {
    const keyFile = args["reencrypt-for"];
    const targetKey = keyFile ? parseSecretKey((await readInputFile({ file: keyFile, io })).trim()) : undefined;
    const { prisma } = await context.database();
    const text = JSON.stringify(await exportConfig({ prisma, targetKey }), null, 2);
    if (!args.out) io.out(text);
    else {
      await writeFile(args.out, `${text}\n`, { mode: 0o600 });
      await chmod(args.out, 0o600);
      io.err(`wrote ${args.out}`);
    }
    return EXIT.ok;
  },
});

export const configImportCommand = defineCommand({
  path: ["config", "import"],
  summary: "Create or update configuration from a `config export` file, showing the diff first.",
  usage: "config import <file|-> [--dry-run] [--skip-problems] [--json]",
  details: [
    "Matched by name: + create, ~ update (field by field), = unchanged, ! cannot (and why). Nothing is deleted. Each",
    "change goes through the console's own functions (same validation, audit as \"cli\", workers reload). A file with",
    "secrets must have been exported --reencrypt-for this installation's key; without secrets, new RADIUS clients and",
    "servers cannot be created (existing ones keep theirs). Exit 1 when a step cannot be done: nothing is applied",
    "then, unless --skip-problems.",
    "  --dry-run        only print the diff",
    "  --json           {\"dryRun\", \"applied\", \"changes\", \"steps\": [{\"entity\", \"name\", \"action\", \"changes\", \"problem\"?}], \"notes\"}",
  ].join("\n"),
  options: { "dry-run": { type: "boolean" }, "skip-problems": { type: "boolean" }, ...JSON_OPTION },
  schema: z.object({ positionals: oneArgument("file"), "dry-run": z.boolean().default(false), "skip-problems": z.boolean().default(false), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const text = await readInputFile({ file: args.positionals, io });
    const { prisma, secretKey } = await context.database();
    const document = readConfigDocument({ text, key: secretKey ? parseSecretKey(secretKey) : undefined });
    return runConfigPlan({ prisma, io, document, dryRun: args["dry-run"], skipProblems: args["skip-problems"], json: args.json });
  },
});
