import { z } from "zod";
import { setUserStatus } from "../users/set-user-status";
import { CLI_ACTOR, EXIT } from "./cli-types";
import { JSON_OPTION, oneArgument, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";
import { findUserArgument } from "./find-user-argument";

const statusCommand = (options: { verb: "disable" | "enable"; status: "disabled" | "active"; summary: string }) =>
  defineCommand({
    path: ["users", options.verb],
    summary: options.summary,
    usage: `users ${options.verb} <username> [--json]`,
    details: "Exit 1 when there is no such user. Audited as done by \"cli\".\n  --json   {\"username\", \"before\", \"after\"}",
    options: { ...JSON_OPTION },
    schema: z.object({ positionals: oneArgument("username"), json: ZJsonFlagSchema }),
    run: async ({ args, io, context }) => {
      const { prisma } = await context.database();
      const user = await findUserArgument({ prisma, username: args.positionals });
      const change = await setUserStatus({ prisma, actor: CLI_ACTOR, id: user.id, status: options.status });
      io.out(args.json ? JSON.stringify({ username: user.username, ...change }) : `${user.username}: ${change.before} → ${change.after}`);
      return EXIT.ok;
    },
  });

export const usersDisableCommand = statusCommand({ verb: "disable", status: "disabled", summary: "Disable a user: every login is rejected (user_disabled) until enabled again." });
export const usersEnableCommand = statusCommand({ verb: "enable", status: "active", summary: "Enable a disabled (or locked-out) user again, with the failure count reset." });
