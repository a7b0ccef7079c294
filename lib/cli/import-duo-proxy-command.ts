import { z } from "zod";
import { mapAuthproxyConfig } from "../duo-proxy/map-authproxy-config";
import { parseAuthproxyCfg } from "../duo-proxy/parse-authproxy-cfg";
import { JSON_OPTION, oneArgument, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";
import { readInputFile } from "./read-input-file";
import { runConfigPlan } from "./run-config-plan";

export const importDuoProxyCommand = defineCommand({
  path: ["import-duo-proxy"],
  summary: "Create applications, RADIUS clients and primary servers from a Duo Authentication Proxy authproxy.cfg.",
  usage: "import-duo-proxy <authproxy.cfg|-> [--dry-run] [--skip-problems] [--json]",
  details: [
    "Each [radius_server_auto|_challenge|_duo_only|_concat] section becomes an application named after the section:",
    "  auto/concat → factor entry append (\"password,123456\", \",push\"; nothing appended pushes), challenge →",
    "  Access-Challenge, duo_only → primary none; failmode → the application's fail mode (Duo's default: safe);",
    "  factors → allowed factors (passcode: TOTP, HOTP, bypass codes; push: the Twofold app); delimiter; pass_through_all",
    "  and pass_through_attr_names; radius_ip_N/radius_secret_N → one RADIUS client each (ranges → prefixes).",
    "Its client= section becomes the primary servers: [radius_client] host/host_2…, port/port_2…, secret (one, shared",
    "  by every host, as the Duo proxy reads it), retries, retry_wait; [ad_client] host/host_2…, port, transport,",
    "  service_account_username/password, search_dn, username_attribute, security_group_dn (nested membership),",
    "  ldap_filter, timeout.",
    "The diff is printed first (as config import prints it), then every option of a server or client section that",
    "could not be mapped. Importing the same file again updates. ikey/skey/api_host (Duo's cloud) are not needed.",
    "*_protected secrets (Windows DPAPI) cannot be read: those clients are left for the console. Exit 1 when a step",
    "cannot be done: nothing is applied then, unless --skip-problems. Audited as done by \"cli\".",
    "  --dry-run        only print the diff",
    "  --skip-problems  apply what can be applied, leave the rest",
    "  --json           {\"dryRun\", \"applied\", \"changes\", \"steps\": [{\"entity\", \"name\", \"action\", \"changes\", \"problem\"?}], \"notes\"}",
  ].join("\n"),
  options: { "dry-run": { type: "boolean" }, "skip-problems": { type: "boolean" }, ...JSON_OPTION },
  schema: z.object({ positionals: oneArgument("authproxy.cfg"), "dry-run": z.boolean().default(false), "skip-problems": z.boolean().default(false), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const parsed = parseAuthproxyCfg(await readInputFile({ file: args.positionals, io }));
    const { document, notes } = mapAuthproxyConfig({ sections: parsed.sections });
    const { prisma } = await context.database();
    return runConfigPlan({ prisma, io, document, notes: [...parsed.problems, ...notes], dryRun: args["dry-run"], skipProblems: args["skip-problems"], json: args.json });
  },
});
