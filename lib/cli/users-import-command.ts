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
    "Columns: username,email,groups,password (groups separated by ';'; a header row, optional, may name them in any",
    "order). Rows are independent: each bad row is listed with its line and skipped, the others import (exit 1 when any",
    "row was skipped). Unknown groups are created; existing users get the email and the listed groups added, and a",
    "non-empty password (the local password, hashed) replaced. - reads standard input. Audited as done by \"cli\".",
    "  --json   {\"created\", \"updated\", \"passwordsSet\", \"errors\": [{\"line\", \"message\"}]}",
  ].join("\n"),
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: oneArgument("CSV file"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const csv = await readInputFile({ file: args.positionals, io });
    const { prisma } = await context.database();
    const result = await importUsersCsv({ prisma, actor: CLI_ACTOR, csv });
    io.out(args.json ? JSON.stringify(result) : `imported: ${result.created} created, ${result.updated} updated, ${result.passwordsSet} password(s) set`);
    for (const error of result.errors) io.err(`Line ${error.line}: ${error.message}`);
    return result.errors.length > 0 ? EXIT.failure : EXIT.ok;
  },
});
