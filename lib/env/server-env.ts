import { z } from "zod";
import { parseCidr, type TCidr } from "../net/cidr";
import { ZLogLevelSchema } from "../log/log-level";
import { ZSiemFacilitySchema, ZSiemTargetsSchema } from "../siem/siem-target-schema";
import { parseDatabaseUrl } from "../db/parse-database-url";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

// "10.0.0.5, 10.1.0.0/16": the proxies whose X-Forwarded-For the console believes. Empty (the default) believes none.
const cidrList = z
  .string()
  .default("")
  .transform((text, context) => {
    const cidrs: TCidr[] = [];
    for (const item of text.split(",").map((part) => part.trim()).filter(Boolean)) {
      const parsed = parseCidr(item);
      if ("error" in parsed) context.addIssue({ code: "custom", message: `${item}: ${parsed.error}` });
      else cidrs.push(parsed);
    }
    return cidrs;
  });

// "1700,3799": the UDP ports the worker takes CoA/Disconnect-Requests on (RFC 5176) — Cisco's 1700 and the IANA 3799.
// Empty: no CoA listener.
const portList = z
  .string()
  .default("1700,3799")
  .transform((text, context) => {
    const ports: number[] = [];
    for (const item of text.split(",").map((part) => part.trim()).filter(Boolean)) {
      const value = Number(item);
      if (!/^\d+$/.test(item) || value < 1 || value > 65535) context.addIssue({ code: "custom", message: `${item}: not a port (1-65535)` });
      else if (ports.includes(value)) context.addIssue({ code: "custom", message: `${item}: listed twice` });
      else ports.push(value);
    }
    return ports;
  });

// Shared by the console, the worker and the start script; each validates once at start.
export const ZServerEnvSchema = z.object({
  // libpq's multi-host failover form (h1:5432,h2:5432) is not a WHATWG URL: checked by our own parser.
  DATABASE_URL: z
    .string()
    .refine((url) => {
      try {
        return parseDatabaseUrl(url).hosts.length > 0;
      } catch {
        return false;
      }
    }, "must be a postgresql:// URL (several hosts may be comma-separated, with target_session_attrs=read-write)")
    .optional(),
  TWOFOLD_SECRET_KEY: z.string().optional(),
  TWOFOLD_DATA_DIR: z.string().default(".data"),
  TWOFOLD_PG_PORT: port(54329),
  TWOFOLD_CONSOLE_PORT: port(3000),
  // Console: /metrics (and /readyz, /livez) on a listener of its own, loopback by default (scripts/console-probes.ts).
  TWOFOLD_CONSOLE_METRICS_PORT: z.union([z.literal("off"), port(9813)]).default(9813),
  TWOFOLD_CONSOLE_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  TWOFOLD_PUBLIC_URL: z.string().url().optional(),
  TWOFOLD_RADIUS_HOST: z.string().default("0.0.0.0"),
  TWOFOLD_RADIUS_AUTH_PORT: port(1812),
  TWOFOLD_RADIUS_ACCT_PORT: port(1813),
  TWOFOLD_COA_PORTS: portList,
  TWOFOLD_HEALTH_PORT: port(9812),
  // Loopback by default: /health shows counters and worker details that the network the NAS sits on has no need for.
  TWOFOLD_HEALTH_HOST: z.string().min(1).default("127.0.0.1"),
  TWOFOLD_WORKER_ID: z.string().min(1).optional(),
  TWOFOLD_WORKER_ADDRESSES: z.string().optional(),
  TWOFOLD_TRUSTED_PROXIES: cidrList,
  // Worker-only: how long a user row may be reused across requests (lib/users/create-user-reader.ts). Off by default:
  // a cache means a disabled or newly enrolled user can reach a worker that much later.
  TWOFOLD_USER_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(0),
  // Worker: the Duo-compatible HTTPS API (Auth API v1/v2). "off" serves none.
  TWOFOLD_API_PORT: z.union([z.literal("off"), port(8443)]).default(8443),
  TWOFOLD_API_HOST: z.string().min(1).default("0.0.0.0"),
  // Extra DNS names for the generated certificate (Duo's clients check the host against its DNS names).
  TWOFOLD_API_NAMES: z.string().default("").transform((text) => text.split(",").map((name) => name.trim()).filter(Boolean)),
  TWOFOLD_API_CERT_FILE: z.string().min(1).optional(),
  TWOFOLD_API_KEY_FILE: z.string().min(1).optional(),
  TWOFOLD_API_DATE_SKEW_SEC: z.coerce.number().int().min(30).max(3600).default(300),
  // Worker-only: processes sharing the RADIUS ports (SO_REUSEPORT; worker/main.ts). Unset: one per core
  // (os.availableParallelism()); 1: a single process.
  TWOFOLD_WORKER_PROCESSES: z.coerce.number().int().min(1).max(256).optional(),
  // Worker: delete auth/accounting events, finished pushes and old enrollment links older than this many days, once a
  // day across all workers (worker/retention-timer.ts). Unset (the default): keep everything.
  TWOFOLD_RETENTION_DAYS: z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().int().min(1).max(100_000).optional()),
  // Worker: the VAPID contact sent to browser push services with every push (web-push wants mailto: or https:).
  TWOFOLD_VAPID_SUBJECT: z.string().regex(/^(mailto:[^\s\p{C}]+@[^\s\p{C}]+|https:\/\/[^\s\p{C}]+)$/u, "must be mailto:<address> or an https:// URL").optional(),
  // Every process: pino's level for the JSON log lines (lib/log/create-logger.ts).
  TWOFOLD_LOG_LEVEL: ZLogLevelSchema.default("info"),
  // Worker: where the auth and audit logs are streamed (lib/siem): udp://, tcp://, tls:// (RFC 5424 syslog) and
  // file:// (JSON lines), comma-separated. Empty: no stream.
  TWOFOLD_SIEM_TARGETS: ZSiemTargetsSchema,
  // tls:// targets: a PEM file of the CA(s) the receiver's certificate must chain to. Unset: the system's CAs.
  TWOFOLD_SIEM_CA_FILE: z.string().min(1).optional(),
  TWOFOLD_SIEM_FACILITY: ZSiemFacilitySchema,
  // scripts/backup.ts and scripts/restore.ts: the folder of pg_dump/pg_restore when PATH's are older than the server.
  TWOFOLD_PG_BIN: z.string().min(1).optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type TServerEnv = z.infer<typeof ZServerEnvSchema>;

export const readServerEnv = (source: Record<string, string | undefined> = process.env): TServerEnv => {
  const parsed = ZServerEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
};

// The console reads only this per process: the rest of its environment is not its concern at request time.
export const readTrustedProxies = (source: Record<string, string | undefined> = process.env): TCidr[] => {
  const parsed = ZServerEnvSchema.pick({ TWOFOLD_TRUSTED_PROXIES: true }).safeParse(source);
  if (!parsed.success) throw new Error(`Invalid TWOFOLD_TRUSTED_PROXIES: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
  return parsed.data.TWOFOLD_TRUSTED_PROXIES;
};
