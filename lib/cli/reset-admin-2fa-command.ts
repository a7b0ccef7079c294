import { z } from "zod";
import { resetAdminTotp } from "../admins/reset-admin-totp";
import { CLI_ACTOR, EXIT } from "./cli-types";
import { JSON_OPTION, oneArgument, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";

export const resetAdmin2faCommand = defineCommand({
  path: ["reset-admin-2fa"],
  summary: "Remove an administrator's two-factor sign-in (lost phone) and end their sessions.",
  usage: "reset-admin-2fa <admin email> [--json]",
  details: [
    "At the next sign-in with their password the admin sets up a new authenticator. Audited as done by \"cli\".",
    "Exit 1 when no administrator has that email.",
    "  --json   {\"adminId\", \"email\", \"hadTotp\", \"disabled\", \"sessionsEnded\"}",
  ].join("\n"),
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: oneArgument("admin email"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const { prisma } = await context.database();
    const reset = await resetAdminTotp({ prisma, actor: CLI_ACTOR, email: args.positionals });
    if (args.json) io.out(JSON.stringify(reset));
    else {
      io.out(`${reset.email}: two-factor sign-in ${reset.hadTotp ? "removed" : "was not set up"}; ${reset.sessionsEnded} session(s) ended`);
      if (reset.disabled) io.err(`note: ${reset.email} is disabled and cannot sign in until an owner enables the account`);
    }
    return EXIT.ok;
  },
});
