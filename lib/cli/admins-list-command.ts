import { z } from "zod";
import { listAdmins } from "../admins/list-admins";
import { EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";
import { formatDate, formatTable } from "./format-table";

export const adminsListCommand = defineCommand({
  path: ["admins", "list"],
  summary: "List administrators: role, status, two-factor, last sign-in.",
  usage: "admins list [--json]",
  details: "  --json   [{\"id\", \"email\", \"name\", \"role\", \"disabled\", \"totpEnabled\", \"createdAt\", \"lastLoginAt\"}]",
  options: { ...JSON_OPTION },
  schema: z.object({ positionals: noArguments("admins list"), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const { prisma } = await context.database();
    const admins = await listAdmins({ prisma });
    if (args.json) io.out(JSON.stringify(admins));
    else
      io.out(
        formatTable({
          headers: ["EMAIL", "ROLE", "STATUS", "2FA", "LAST SIGN-IN", "NAME"],
          rows: admins.map((admin) => [admin.email, admin.role, admin.disabled ? "disabled" : "active", admin.totpEnabled ? "on" : "not set up", formatDate(admin.lastLoginAt), admin.name]),
        }),
      );
    return EXIT.ok;
  },
});
