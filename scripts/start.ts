// `npm start`: database (embedded unless DATABASE_URL), migrations, console build if needed, console + worker.
import { spawn, type ChildProcess } from "node:child_process";
import { createSetupTokenIfNoAdmin } from "../lib/admins/create-setup-token";
import { applyMigrations } from "../lib/db/migrate";
import { readServerEnv } from "../lib/env/server-env";
import { resolveRuntime } from "../lib/env/resolve-runtime";
import { createLogger } from "../lib/log/create-logger";
import { lineLog } from "../lib/log/line-log";
import { consoleBuildIsCurrent, recordConsoleBuild } from "./console-build";

const logger = createLogger({ name: "twofold" });
const log = lineLog(logger);

const run = (command: string, args: string[], env: NodeJS.ProcessEnv, name: string): ChildProcess => {
  const child = spawn(command, args, { env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => log(`${name} exited (${signal ?? code})`));
  return child;
};

const main = async () => {
  const env = readServerEnv();
  const runtime = await resolveRuntime({ env, log });
  await applyMigrations({ databaseUrl: runtime.databaseUrl, log });
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: runtime.databaseUrl, TWOFOLD_SECRET_KEY: runtime.secretKey };
  process.env.DATABASE_URL = runtime.databaseUrl;
  process.env.TWOFOLD_SECRET_KEY = runtime.secretKey;

  const { prisma, disconnectPrisma } = await import("../lib/db");
  const setupToken = await createSetupTokenIfNoAdmin({ prisma });
  await disconnectPrisma();

  const nextBin = "node_modules/next/dist/bin/next";
  if (!consoleBuildIsCurrent()) {
    log("building the console (first start or sources changed)…");
    const build = run(process.execPath, [nextBin, "build"], { ...childEnv, NODE_ENV: "production" }, "console build");
    const code = await new Promise<number | null>((resolve) => build.on("exit", resolve));
    if (code !== 0) throw new Error("console build failed");
    recordConsoleBuild();
  }
  const consolePort = String(env.TWOFOLD_CONSOLE_PORT);
  const children = [
    // Not `next start`: scripts/serve-console.ts tells the console the real TCP peer (sign-in throttle, audit log).
    run(process.execPath, ["--import", "tsx", "scripts/serve-console.ts", "-p", consolePort], { ...childEnv, NODE_ENV: "production" }, "console"),
    // The worker as plain JavaScript (built now if its sources changed, ~1 s): no tsx in the RADIUS processes.
    run(process.execPath, ["scripts/build-worker.mjs", "--run"], childEnv, "worker"),
  ];
  const publicUrl = env.TWOFOLD_PUBLIC_URL ?? `http://localhost:${consolePort}`;
  log(`console: ${publicUrl}   RADIUS: udp/${env.TWOFOLD_RADIUS_AUTH_PORT} (auth), udp/${env.TWOFOLD_RADIUS_ACCT_PORT} (accounting)`);
  if (setupToken) log(`no administrator yet: open ${publicUrl}/setup?token=${setupToken} to create the owner account (valid 24 h, once)`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    await Promise.all(
      children.map((child) => new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      })),
    );
    await runtime.embedded?.stop();
    log("stopped");
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  for (const child of children) child.on("exit", () => void stop("SIGTERM"));
};

main().catch((error: unknown) => {
  logger.fatal(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
