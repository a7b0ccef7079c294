import type { ParseArgsConfig } from "node:util";
import type { TPrisma } from "../db";
import type { TServerEnv } from "../env/server-env";
import type { TActor } from "../auth/types";

// Every change the CLI makes is audited as done by "cli": there is no admin session behind it, only whoever can
// reach the database and the secret key on this host.
export const CLI_ACTOR: TActor = { email: "cli" };

// Exit codes a script can rely on: 0 done, 1 failed (or a check failed), 2 the command line was wrong.
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

export type TCliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  readStdin: () => Promise<string>;
};

export type TCliDatabase = {
  prisma: TPrisma;
  databaseUrl: string;
  secretKey?: string;
  // Where the URL came from, for doctor and error messages.
  source: "DATABASE_URL" | "embedded (running)" | "embedded (started for this command)";
};

export type TCliContext = {
  env: () => TServerEnv;
  // Opened on first use and closed (and an embedded server this command started, stopped) when the command ends.
  database: () => Promise<TCliDatabase>;
};

export type TOptionSpec = NonNullable<ParseArgsConfig["options"]>;
