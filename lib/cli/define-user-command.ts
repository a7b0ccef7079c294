import { z } from "zod";
import type { TPrisma } from "../db";
import { EXIT } from "./cli-types";
import { JSON_OPTION, oneArgument, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand, type TCommand } from "./define-command";
import { findUserArgument } from "./find-user-argument";

export type TUserCommandChange = { before: string; after: string; note?: string };

export type TUserCommandOptions = {
  verb: string; // twofold users <verb> <username>
  summary: string;
  act: (options: { prisma: TPrisma; user: Awaited<ReturnType<typeof findUserArgument>> }) => Promise<TUserCommandChange>;
};

// The commands that change one named user's status (disable, enable, unlock): one way to name the user, one exit code
// for a name that matches no one, one --json shape, so scripts can treat them alike.
export const defineUserCommand = ({ verb, summary, act }: TUserCommandOptions): TCommand =>
  defineCommand({
    path: ["users", verb],
    summary,
    usage: `users ${verb} <username> [--json]`,
    details: "Exit 1 when there is no such user. Audited as done by \"cli\".\n  --json   {\"username\", \"before\", \"after\"}",
    options: { ...JSON_OPTION },
    schema: z.object({ positionals: oneArgument("username"), json: ZJsonFlagSchema }),
    run: async ({ args, io, context }) => {
      const { prisma } = await context.database();
      const user = await findUserArgument({ prisma, username: args.positionals });
      const { before, after, note } = await act({ prisma, user });
      io.out(args.json ? JSON.stringify({ username: user.username, before, after }) : `${user.username}: ${before} → ${after}${note ? `, ${note}` : ""}`);
      return EXIT.ok;
    },
  });
