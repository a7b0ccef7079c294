import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";
import { readServerEnv } from "../lib/env/server-env";
import { parseSecretKey } from "../lib/secrets/secret-key";

export type TBackupScriptEnv = { databaseUrl: string; secretKey: string; dataDir: string; pgBinDir?: string };

// What scripts/backup.ts and scripts/restore.ts share: the environment as the worker reads it (both need the
// database and the key), the command line through zod, and the CLI's exit codes (0 done, 1 failed, 2 wrong usage).
export const runBackupScript = async <TArgs>(options: {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  schema: z.ZodType<TArgs>;
  run: (input: { args: TArgs; env: TBackupScriptEnv; log: (line: string) => void }) => Promise<void>;
}): Promise<void> => {
  const log = (line: string) => console.error(`[${options.name}] ${line}`);
  const usage = (problem: string): never => {
    console.error(`${problem}\nusage: ${options.usage}`);
    process.exit(2);
  };
  const parsedArgs = (() => {
    try {
      return parseArgs({ options: { ...options.options, help: { type: "boolean" } }, allowPositionals: false }).values;
    } catch (error) {
      return usage(error instanceof Error ? error.message : String(error));
    }
  })();
  if (parsedArgs.help) {
    console.log(`usage: ${options.usage}`);
    process.exit(0);
  }
  const args = options.schema.safeParse(parsedArgs);
  if (!args.success) return usage(args.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
  try {
    const env = readServerEnv();
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is required");
    if (!env.TWOFOLD_SECRET_KEY) throw new Error("TWOFOLD_SECRET_KEY is required (the installation's key; TWOFOLD_SECRET_KEY_FILE with deploy/bin/twofold-service)");
    parseSecretKey(env.TWOFOLD_SECRET_KEY);
    await options.run({ args: args.data, env: { databaseUrl: env.DATABASE_URL, secretKey: env.TWOFOLD_SECRET_KEY, dataDir: env.TWOFOLD_DATA_DIR, pgBinDir: env.TWOFOLD_PG_BIN }, log });
  } catch (error) {
    console.error(`[${options.name}] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
};
