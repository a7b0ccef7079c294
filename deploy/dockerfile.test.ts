import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readServerEnv } from "../lib/env/server-env";

const ROOT = path.resolve(import.meta.dirname, "..");
const DOCKERFILE = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");

type TInstruction = { op: string; args: string; stage: number };

// Instructions with continuation lines joined and comments dropped; `stage` counts FROMs (0 before the first).
const instructions = (text: string): TInstruction[] => {
  const joined = text.replace(/\\\n/g, " ").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
  let stage = 0;
  return joined.map((line) => {
    const [op = "", ...rest] = line.split(/\s+/);
    if (op.toUpperCase() === "FROM") stage += 1;
    return { op: op.toUpperCase(), args: rest.join(" "), stage };
  });
};

// The hadolint rules that apply here (hadolint itself is no Debian package), by their numbers.
const lint = (text: string): string[] => {
  const all = instructions(text);
  const problems: string[] = [];
  const args = new Map(all.filter((step) => step.op === "ARG" && step.stage === 0).map((step) => step.args.split("=") as [string, string]));
  const stages = all.filter((step) => step.op === "FROM");
  const names = stages.map((step) => /\bAS\s+(\S+)/i.exec(step.args)?.[1]).filter(Boolean);
  const last = stages.length;
  if (stages.length < 2) problems.push("not multi-stage");
  for (const step of stages) {
    const image = step.args.split(/\s+/)[0] ?? "";
    const resolved = image.replace(/^\$\{(\w+)\}$/, (_, name: string) => args.get(name) ?? image);
    if (names.includes(resolved)) continue;
    if (!/:[\w.-]+$|@sha256:/.test(resolved) || resolved.endsWith(":latest")) problems.push(`DL3006/DL3007: ${resolved} is not pinned to a tag`);
  }
  for (const step of all) {
    if (step.op === "ADD") problems.push("DL3020: ADD instead of COPY");
    if (step.op === "COPY") {
      const from = /--from=(\S+)/.exec(step.args)?.[1];
      if (from && !names.includes(from)) problems.push(`DL3022: COPY --from=${from} is no stage of this file`);
    }
    if (step.op === "RUN" && /(^|&&|;)\s*cd\s/.test(step.args)) problems.push("DL3003: cd in RUN instead of WORKDIR");
    if (step.op === "RUN" && /\bsudo\b/.test(step.args)) problems.push("DL3004: sudo");
    if (step.op === "RUN" && /\bnpm (install|i)\b/.test(step.args)) problems.push("DL3016-like: npm install instead of npm ci (the lockfile decides)");
    if (step.op === "RUN" && /apt-get install/.test(step.args) && !/--no-install-recommends/.test(step.args)) problems.push("DL3015: apt-get install without --no-install-recommends");
    if ((step.op === "CMD" || step.op === "ENTRYPOINT") && !/^\[.*\]$/.test(step.args)) problems.push(`DL3025: ${step.op} in shell form`);
    if ((step.op === "ENV" || step.op === "ARG") && /(SECRET|PASSWORD|TOKEN)[A-Z_]*=\S/.test(step.args)) problems.push(`no secrets in ${step.op}: ${step.args}`);
  }
  const users = all.filter((step) => step.op === "USER" && step.stage === last);
  const finalUser = users.at(-1)?.args;
  if (!finalUser || /^(root|0)(:|$)/.test(finalUser)) problems.push("DL3002: the final stage runs as root");
  return problems;
};

describe("Dockerfile", () => {
  it("passes the hadolint-style checks", () => {
    expect(lint(DOCKERFILE)).toEqual([]);
  });

  it("the checks themselves catch root, ADD, shell-form CMD, an unpinned base, npm install and a secret in ENV", () => {
    const broken = DOCKERFILE.replace("USER node", "USER root")
      .replace("COPY . .", "ADD . .")
      .replace('CMD ["console"]', "CMD console")
      .replace("ARG NODE_IMAGE=node:24-bookworm-slim", "ARG NODE_IMAGE=node")
      .replace("RUN npm ci", "RUN npm install")
      .replace("NEXT_TELEMETRY_DISABLED=1 \\", "NEXT_TELEMETRY_DISABLED=1 TWOFOLD_SECRET_KEY=abc \\");
    const problems = lint(broken);
    for (const rule of ["DL3002", "DL3020", "DL3025", "DL3006", "npm install", "no secrets"]) expect(problems.join("\n")).toContain(rule);
  });

  it("Node 24, as package.json's engines; every EXPOSEd port is a default of lib/env/server-env.ts", () => {
    const engines = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node as string;
    expect(engines).toBe(">=24");
    expect(DOCKERFILE).toMatch(/^ARG NODE_IMAGE=node:24-/m);
    const exposed = instructions(DOCKERFILE).filter((step) => step.op === "EXPOSE").flatMap((step) => step.args.split(/\s+/));
    const env = readServerEnv({});
    const defaults = [`${env.TWOFOLD_CONSOLE_PORT}/tcp`, `${env.TWOFOLD_RADIUS_AUTH_PORT}/udp`, `${env.TWOFOLD_RADIUS_ACCT_PORT}/udp`, ...env.TWOFOLD_COA_PORTS.map((port) => `${port}/udp`), `${env.TWOFOLD_API_PORT}/tcp`, `${env.TWOFOLD_HEALTH_PORT}/tcp`];
    expect(exposed.sort()).toEqual(defaults.sort());
  });

  it("the entry point exists, is executable, parses, and dispatches to files that exist", () => {
    const entry = path.join(ROOT, "deploy/bin/twofold-service");
    expect(instructions(DOCKERFILE).find((step) => step.op === "ENTRYPOINT")?.args).toBe('["/app/deploy/bin/twofold-service"]');
    expect(statSync(entry).mode & 0o111).not.toBe(0);
    expect(spawnSync("sh", ["-n", entry]).status).toBe(0);
    const targets = [...readFileSync(entry, "utf8").matchAll(/exec node (?:--import "\$tsx" )?"?(?:\$app_dir\/)?([^"\s]+)/g)].map((match) => match[1] ?? "");
    expect(targets).toEqual(["scripts/serve-console.ts", "dist/worker/main.js", "scripts/migrate.ts", "scripts/backup.ts", "scripts/restore.ts", "bin/twofold.mjs"]);
    // dist/worker/main.js is built (worker/main.ts by scripts/build-worker.mjs), in the build stage; the runtime stage
    // checks the copy is current, since the worker never builds it at start (the service user cannot write /app).
    for (const target of targets) expect(existsSync(path.join(ROOT, target.replace(/^dist\/worker\/(\w+)\.js$/, "worker/$1.ts"))), target).toBe(true);
    const runs = instructions(DOCKERFILE).filter((step) => step.op === "RUN");
    expect(runs.some((step) => step.stage === 2 && /&& node scripts\/build-worker\.mjs &&/.test(step.args)), "the build stage builds the worker").toBe(true);
    expect(runs.some((step) => step.stage === 3 && step.args.startsWith("node /app/scripts/build-worker.mjs --check")), "the runtime stage checks it").toBe(true);
  });

  it(".dockerignore keeps local state, keys and build output out of the image", () => {
    const ignored = readFileSync(path.join(ROOT, ".dockerignore"), "utf8").split("\n").map((line) => line.trim());
    for (const entry of [".git", "node_modules", ".next", ".data", "lib/db/generated", "**/secret.key", "**/*.env", "**/.env"]) expect(ignored, entry).toContain(entry);
  });
});
