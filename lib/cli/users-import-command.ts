import { z } from "zod";
import { importUsersCsv } from "../users/import-users-csv";
import { CLI_ACTOR, EXIT } from "./cli-types";
import { JSON_OPTION, oneArgument, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";
import { readInputFile } from "./read-input-file";

export const usersImportCommand = defineCommand({
  path: ["users", "import"],
  summary: "Import users from a CSV file, with the console's rules.",
  usage: "users import <file.csv|-> [--json]",
  details: [
    "Columns: username,email,groups (groups separated by ';'; a header row is optional). Every row is checked first:",
    "any error imports nothing and lists each bad line (exit 1). Unknown groups are created; existing users get the",
    "email and the listed groups added. - reads standard input. Audited as done by \"cli\".",
    "  --json   {\"created\", \"updated\"}",
  ].join("\n"),
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: oneArgument("CSV file"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const csv = await readInputFile({ file: args.positionals, io });
    const { prisma } = await context.database();
    const result = await importUsersCsv({ prisma, actor: CLI_ACTOR, csv });
    io.out(args.json ? JSON.stringify(result) : `imported: ${result.created} created, ${result.updated} updated`);
    return EXIT.ok;
  },
});
