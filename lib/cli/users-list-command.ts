import { z } from "zod";
import { searchUsers } from "../users/search-users";
import { EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";
import { formatDate, formatTable } from "./format-table";

export const usersListCommand = defineCommand({
  path: ["users", "list"],
  summary: "List users (the console's search: username, email, display name or group).",
  usage: "users list [--query <text>] [--limit <n>] [--json]",
  details: [
    "  --query <text>   only users whose username, email, display name or group contains it (case-insensitive)",
    "  --limit <n>      at most n users, by username (default 100, up to 100000)",
    "  --json           [{\"id\", \"username\", \"displayName\", \"email\", \"status\", \"failedAttempts\", \"groups\", \"authenticators\", \"lastSeenAt\"}]",
  ].join("\n"),
  options: { query: { type: "string" }, limit: { type: "string" }, ...JSON_OPTION },
  schema: z.object({
    positionals: noArguments("users list"),
    query: z.string().optional(),
    limit: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(100),
    json: ZJsonFlagSchema,
  }),
  run: async ({ args, io, context }) => {
    const { prisma } = await context.database();
    const users = (await searchUsers({ prisma, query: args.query, take: args.limit })).map((user) => ({
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      email: user.email,
      status: user.status,
      failedAttempts: user.failedAttempts,
      groups: user.groups.map((member) => member.group.name),
      authenticators: user._count.authenticators,
      lastSeenAt: user.lastSeenAt,
    }));
    if (args.json) io.out(JSON.stringify(users));
    else
      io.out(
        formatTable({
          headers: ["USERNAME", "STATUS", "EMAIL", "GROUPS", "AUTHENTICATORS", "LAST SEEN"],
          rows: users.map((user) => [user.username, user.status, user.email ?? "-", user.groups.join(";") || "-", String(user.authenticators), formatDate(user.lastSeenAt)]),
        }),
      );
    return EXIT.ok;
  },
});
