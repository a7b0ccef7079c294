import { z } from "zod";
import { createSetupTokenIfNoAdmin } from "../admins/create-setup-token";
import { createOwner, ZAdminCredentialsSchema } from "../auth/create-owner";
import { parseInput } from "../api/parse-input";
import { CLI_ACTOR, EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, ZJsonFlagSchema } from "./cli-schemas";
import { consoleUrl } from "./console-url";
import { defineCommand } from "./define-command";
import { readInputFile, warnIfReadableByOthers } from "./read-input-file";

export const createOwnerCommand = defineCommand({
  path: ["create-owner"],
  summary: "Create the first administrator (role owner) without a browser, for automated installs.",
  usage: "create-owner --username <email> --password-file <file|-> [--name <name>] [--json]",
  details: [
    "Admins sign in with their email, so --username is an email address. The password is read from the file (or",
    "standard input with -), one trailing newline removed: it never appears in the process list or shell history. The",
    "console's rules apply (at least 12 characters). Exit 1 when an administrator already exists. The owner sets up",
    "two-factor sign-in at first sign-in; until then the console lets them look but not change anything.",
    "  --json   {\"adminId\", \"email\", \"role\"}",
  ].join("\n"),
  options: { username: { type: "string" }, "password-file": { type: "string" }, name: { type: "string" }, ...JSON_OPTION },
  schema: z.object({
    positionals: noArguments("create-owner"),
    username: z.email({ error: (issue) => (issue.input === undefined ? "is required" : "must be an email address (admins sign in with it)") }),
    "password-file": z.string({ error: "is required" }).min(1),
    name: z.string().default(""),
    json: ZJsonFlagSchema,
  }),
  run: async ({ args, io, context }) => {
    const file = args["password-file"];
    await warnIfReadableByOthers({ file, io });
    const password = (await readInputFile({ file, io })).replace(/\r?\n$/, "");
    // Checked before a setup token exists, so a rejected password leaves no token (and no revoked link) behind.
    const input = parseInput(ZAdminCredentialsSchema, { email: args.username, name: args.name, password });
    const { prisma } = await context.database();
    // The setup link's own path: one owner, only while there is no admin, token consumed in the same transaction.
    const token = await createSetupTokenIfNoAdmin({ prisma });
    if (!token) {
      io.err("an administrator already exists: create-owner only creates the first one (add others in the console)");
      return EXIT.failure;
    }
    const { adminId } = await createOwner({ prisma, token, input, actor: CLI_ACTOR });
    io.out(
      args.json
        ? JSON.stringify({ adminId, email: input.email, role: "owner" })
        : `created owner ${input.email}: sign in at ${consoleUrl(context.env())}/sign-in and set up two-factor sign-in`,
    );
    return EXIT.ok;
  },
});
