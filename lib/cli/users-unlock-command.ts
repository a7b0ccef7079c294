import { z } from "zod";
import { unlockUser } from "../users/user-actions";
import { CLI_ACTOR, EXIT } from "./cli-types";
import { JSON_OPTION, oneArgument, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";
import { findUserArgument } from "./find-user-argument";

export const usersUnlockCommand = defineCommand({
  path: ["users", "unlock"],
  summary: "Unlock a user locked out after too many second-factor failures, and reset the failure count.",
  usage: "users unlock <username> [--json]",
  details: "Exit 1 when there is no such user. Audited as done by \"cli\".\n  --json   {\"username\", \"before\", \"after\"}",
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: oneArgument("username"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const { prisma } = await context.database();
    const user = await findUserArgument({ prisma, username: args.positionals });
    await unlockUser({ prisma, actor: CLI_ACTOR, id: user.id });
    const after = user.status === "locked_out" ? "active" : user.status;
    io.out(args.json ? JSON.stringify({ username: user.username, before: user.status, after }) : `${user.username}: ${user.status} → ${after}, failed attempts reset (were ${user.failedAttempts})`);
    return EXIT.ok;
  },
});
