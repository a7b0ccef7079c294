import { z } from "zod";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

// Shared by the console, the worker and the start script; each validates once at start.
export const ZServerEnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TWOFOLD_SECRET_KEY: z.string().optional(),
  TWOFOLD_DATA_DIR: z.string().default(".data"),
  TWOFOLD_PG_PORT: port(54329),
  TWOFOLD_CONSOLE_PORT: port(3000),
  TWOFOLD_PUBLIC_URL: z.string().url().optional(),
  TWOFOLD_RADIUS_HOST: z.string().default("0.0.0.0"),
  TWOFOLD_RADIUS_AUTH_PORT: port(1812),
  TWOFOLD_RADIUS_ACCT_PORT: port(1813),
  TWOFOLD_HEALTH_PORT: port(9812),
  TWOFOLD_WORKER_ID: z.string().min(1).optional(),
  TWOFOLD_WORKER_ADDRESSES: z.string().optional(),
  // Worker-only: how long a user row may be reused across requests (lib/auth-flow/create-user-reader.ts). Off by default:
  // a cache means a disabled or newly enrolled user can reach a worker that much later.
  TWOFOLD_USER_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(0),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type TServerEnv = z.infer<typeof ZServerEnvSchema>;

export const readServerEnv = (source: NodeJS.ProcessEnv = process.env): TServerEnv => {
  const parsed = ZServerEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
};
