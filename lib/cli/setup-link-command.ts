import { z } from "zod";
import { createSetupTokenIfNoAdmin } from "../admins/create-setup-token";
import { recordAuditEvent } from "../audit/record-audit-event";
import { CLI_ACTOR, EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, ZJsonFlagSchema } from "./cli-schemas";
import { consoleUrl } from "./console-url";
import { defineCommand } from "./define-command";

export const setupLinkCommand = defineCommand({
  path: ["setup-link"],
  summary: "Print a one-time link (valid 24 h) that creates the owner account, while no administrator exists.",
  usage: "setup-link [--json]",
  details: [
    "Any earlier unused link stops working (also the one `npm start` printed). The link starts with TWOFOLD_PUBLIC_URL",
    "(default http://localhost:<TWOFOLD_CONSOLE_PORT>). Exit 1 once an administrator exists: the owner then uses the",
    "console, or `twofold reset-admin-2fa` when their authenticator is lost.",
    "  --json   {\"url\", \"expiresAt\"}",
  ].join("\n"),
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: noArguments("setup-link"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const { prisma } = await context.database();
    let issued: { id: string; expiresAt: Date } | undefined;
    // The link and its audit row commit together: a link nobody can account for must not exist.
    const token = await createSetupTokenIfNoAdmin({
      prisma,
      onCreated: async ({ tx, id, expiresAt }) => {
        await recordAuditEvent({ db: tx, actor: CLI_ACTOR, action: "admin.setup_link", targetType: "SetupToken", targetId: id, after: { expiresAt } });
        issued = { id, expiresAt };
      },
    });
    if (!token || !issued) {
      io.err("an administrator already exists: setup links are only for the first owner");
      return EXIT.failure;
    }
    const row = issued;
    const url = `${consoleUrl(context.env())}/setup?token=${token}`;
    io.out(args.json ? JSON.stringify({ url, expiresAt: row.expiresAt.toISOString() }) : `${url}\n(valid until ${row.expiresAt.toISOString()}, once)`);
    return EXIT.ok;
  },
});
