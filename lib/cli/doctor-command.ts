import { z } from "zod";
import { runDoctor } from "../doctor/run-doctor";
import { errorText } from "../doctor/doctor-types";
import { EXIT } from "./cli-types";
import { JSON_OPTION, noArguments, ZJsonFlagSchema } from "./cli-schemas";
import { defineCommand } from "./define-command";

export const doctorCommand = defineCommand({
  path: ["doctor"],
  summary: "Check this host's installation: database, migrations, secret key, ports, upstream servers, clock.",
  usage: "doctor [--access-probe] [--json]",
  details: [
    "Prints each check with ok or FAIL; exit 1 when any fails. Checks: the database answers; every migration is",
    "applied; the secret key is present and decrypts one stored secret of each kind; the worker's RADIUS, CoA, API",
    "and health ports (TWOFOLD_RADIUS_HOST/…_PORT, TWOFOLD_COA_PORTS, TWOFOLD_API_HOST/_PORT unless off,",
    "TWOFOLD_HEALTH_…) are free or held by a running Twofold worker; each upstream RADIUS server answers",
    "Status-Server; the database's clock agrees with this host's within 5 s (TOTP).",
    "  --access-probe  a server that ignores Status-Server (NPS) is asked with an Access-Request for the user",
    "                  \"twofold-doctor\" instead: its Access-Reject proves it is up and shares the secret",
    "  --json          {\"ok\", \"checks\": [{\"name\", \"ok\", \"detail\", \"skipped\"?}]}",
  ].join("\n"),
  options: { "access-probe": { type: "boolean" }, ...JSON_OPTION },
  schema: z.object({ positionals: noArguments("doctor"), "access-probe": z.boolean().default(false), json: ZJsonFlagSchema }),
  run: async ({ args, io, context }) => {
    const env = context.env();
    const database = await context.database().catch((error: unknown) => ({ error: errorText(error) }));
    const checks = await runDoctor({ env, database, accessProbe: args["access-probe"] });
    const ok = checks.every((check) => check.ok);
    if (args.json) io.out(JSON.stringify({ ok, checks }));
    else {
      const width = Math.max(...checks.map((check) => check.name.length));
      for (const check of checks) io.out(`${check.ok ? "ok  " : "FAIL"}  ${check.name.padEnd(width)}  ${check.detail}`);
    }
    return ok ? EXIT.ok : EXIT.failure;
  },
});
