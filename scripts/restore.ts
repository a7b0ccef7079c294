// `npm run restore -- --from <backup folder> [--data-dir <dir>] [--json]`: into an empty DATABASE_URL, with the
// installation's TWOFOLD_SECRET_KEY (README, *Backups*). Refuses a wrong key, a damaged backup or a non-empty database
// before it writes anything.
import path from "node:path";
import { z } from "zod";
import { restoreBackup } from "../lib/backup/restore-backup";
import { runBackupScript } from "./run-backup-script";

await runBackupScript({
  name: "restore",
  usage: "npm run restore -- --from <backup folder> [--data-dir <worker data folder for its spool>] [--json]",
  options: { from: { type: "string" }, "data-dir": { type: "string" }, json: { type: "boolean" } },
  schema: z.object({ from: z.string({ error: "is required" }).min(1), "data-dir": z.string().min(1).optional(), json: z.boolean().default(false) }),
  run: async ({ args, env, log }) => {
    const result = await restoreBackup({ databaseUrl: env.databaseUrl, secretKey: env.secretKey, fromDir: path.resolve(args.from), dataDir: args["data-dir"] && path.resolve(args["data-dir"]), pgBinDir: env.pgBinDir, log });
    if (args.json) console.log(JSON.stringify(result));
    else log(`done: restored ${path.resolve(args.from)}; start the console and the workers`);
  },
});
