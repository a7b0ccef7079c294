import { parseSecretKey } from "../secrets/secret-key";
import { ZServerEnvSchema, type TServerEnv } from "./server-env";

export type TConsoleEnv = TServerEnv & { DATABASE_URL: string; TWOFOLD_SECRET_KEY: string };

// The console's start check, as strict as the worker's: without it a missing DATABASE_URL or a malformed key surfaces
// only at the first sign-in, as a 500. Every problem is listed at once, one line per variable, so an admin fixes the
// env file in one go.
export const readConsoleEnv = (source: Record<string, string | undefined> = process.env): TConsoleEnv => {
  const parsed = ZServerEnvSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  const databaseUrl = source.DATABASE_URL;
  const secretKey = source.TWOFOLD_SECRET_KEY;
  if (!databaseUrl) problems.push("DATABASE_URL: is required (postgresql://user:password@host:5432/twofold; `npm start` sets it for the embedded database)");
  if (!secretKey) problems.push("TWOFOLD_SECRET_KEY: is required, the same key as the workers' (openssl rand -base64 32)");
  else {
    try {
      parseSecretKey(secretKey);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (!parsed.success || problems.length > 0 || !databaseUrl || !secretKey) {
    throw new Error(`Invalid environment:\n${problems.map((line) => `  ${line}`).join("\n")}`);
  }
  return { ...parsed.data, DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY: secretKey };
};
