// `npm run backup -- --out <new folder> [--data-dir <dir>] [--json]`: pg_dump of DATABASE_URL, the auth-log spool of a
// data folder, and a manifest (README, *Backups*). The secret key is not written: keep it apart from the backups.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { createBackup } from "../lib/backup/create-backup";
import { runBackupScript } from "./run-backup-script";

await runBackupScript({
  name: "backup",
  usage: "npm run backup -- --out <new folder> [--data-dir <worker data folder>] [--json]",
  options: { out: { type: "string" }, "data-dir": { type: "string" }, json: { type: "boolean" } },
  schema: z.object({ out: z.string({ error: "is required" }).min(1), "data-dir": z.string().min(1).optional(), json: z.boolean().default(false) }),
  run: async ({ args, env, log }) => {
    // This host's worker spool comes along by default, when there is one.
    const dataDir = args["data-dir"] ?? (existsSync(path.join(env.dataDir, "spool")) ? env.dataDir : undefined);
    const manifest = await createBackup({ databaseUrl: env.databaseUrl, secretKey: env.secretKey, outDir: path.resolve(args.out), dataDir, pgBinDir: env.pgBinDir, log });
    if (args.json) console.log(JSON.stringify(manifest));
    else log(`done: ${path.resolve(args.out)} (key fingerprint ${manifest.keyFingerprint}; the key itself is not in it)`);
  },
});
