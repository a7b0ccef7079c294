import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { readServerEnv } from "../../lib/env/server-env";
import { freePort } from "../../lib/testing/free-port";
import { startTestWorker } from "../../lib/testing/start-test-worker";
import { startConsoleProbes } from "../../scripts/console-probes";

const HERE = import.meta.dirname;
const scratch = mkdtempSync(path.join(tmpdir(), "twofold-compose-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ZServiceSchema = z.object({
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()]).nullable()).default({}),
  // Compose v1 resolves udp mappings to the long form.
  ports: z.array(z.union([z.string(), z.object({ published: z.union([z.string(), z.number()]), target: z.number(), protocol: z.string().optional(), host_ip: z.string().optional() })])).default([]),
  volumes: z.array(z.union([z.string(), z.object({ source: z.string().optional(), target: z.string() })])).default([]),
  secrets: z.array(z.union([z.string(), z.object({ source: z.string() })])).default([]),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  env_file: z.union([z.string(), z.array(z.string())]).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const ZComposeSchema = z.object({ services: z.record(z.string(), ZServiceSchema), volumes: z.record(z.string(), z.unknown()).optional() });

// PyYAML, the parser Compose v1 itself is built on (anchors and `<<` merge keys as Compose reads them).
const parseYaml = (file: string): unknown => {
  const run = spawnSync("python3", ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", file], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
};

// Compose's own validation (schema, interpolation, merge keys, env files, secrets) in a copy of the folder, with the
// files an admin creates from the instructions at the top of compose.yaml.
const composeConfig = (options: { dotEnv: string; edit?: (text: string) => string }) => {
  const dir = mkdtempSync(path.join(scratch, "project-"));
  const project = path.join(dir, "deploy", "compose");
  mkdirSync(project, { recursive: true });
  copyFileSync(path.join(HERE, "compose.yaml"), path.join(project, "compose.yaml"));
  if (options.edit) writeFileSync(path.join(project, "compose.yaml"), options.edit(readFileSync(path.join(project, "compose.yaml"), "utf8")));
  copyFileSync(path.join(HERE, "twofold.env.example"), path.join(project, "twofold.env"));
  writeFileSync(path.join(project, ".env"), options.dotEnv);
  writeFileSync(path.join(project, "secret.key"), "not read by `config`\n");
  const run = spawnSync("docker-compose", ["config"], { cwd: project, encoding: "utf8" });
  return { ...run, file: path.join(project, "resolved.yaml"), dir };
};

// "127.0.0.1:3000:3000/tcp" → "127.0.0.1:3000/tcp": what two services must not both publish.
const hostPort = (mapping: string | { published: string | number; protocol?: string; host_ip?: string }) =>
  typeof mapping === "string"
    ? `${mapping.split(":").slice(0, -1).join(":")}/${mapping.split("/")[1] ?? "tcp"}`
    : `${mapping.host_ip ? `${mapping.host_ip}:` : ""}${mapping.published}/${mapping.protocol ?? "tcp"}`;

describe("deploy/compose/compose.yaml", () => {
  const dotEnv = "COMPOSE_PROJECT_NAME=twofold\nPOSTGRES_PASSWORD=s3cr3t-hex\n";

  it("Compose (v1, docker-compose config) accepts it, and resolves it to a console, two workers, migrate and PostgreSQL", () => {
    const run = composeConfig({ dotEnv });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    writeFileSync(run.file, run.stdout);
    const { services } = ZComposeSchema.parse(parseYaml(run.file));
    expect(Object.keys(services).sort()).toEqual(["console", "migrate", "postgres", "worker-1", "worker-2"]);
    const twofold = ["console", "migrate", "worker-1", "worker-2"].map((name) => ({ name, service: services[name]! }));
    for (const { name, service } of twofold) {
      expect(service.environment.DATABASE_URL, name).toBe("postgresql://twofold:s3cr3t-hex@postgres:5432/twofold");
      expect(service.environment.TWOFOLD_SECRET_KEY_FILE, name).toBe("/run/secrets/twofold_secret_key");
      expect(service.environment.TWOFOLD_SECRET_KEY, name).toBeUndefined();
      expect(service.environment.TWOFOLD_PUBLIC_URL, `${name}: twofold.env applies`).toBe("https://mfa.example.com");
      expect(service.secrets.map((secret) => (typeof secret === "string" ? secret : secret.source))).toEqual(["twofold_secret_key"]);
    }
    expect(services.migrate?.depends_on?.postgres?.condition).toBe("service_healthy");
    for (const name of ["console", "worker-1", "worker-2"]) expect(services[name]?.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
    expect(services.console?.command).toEqual(["console", "-p", "3000"]);
    expect(services["worker-1"]?.command).toEqual(["worker"]);
  });

  it("workers do not share a spool, an id or a host port; the console is on loopback only", () => {
    const { services } = ZComposeSchema.parse(parseYaml(path.join(HERE, "compose.yaml")));
    const workers = [services["worker-1"]!, services["worker-2"]!];
    expect(new Set(workers.map((worker) => worker.environment.TWOFOLD_WORKER_ID)).size).toBe(2);
    const spools = workers.map((worker) => worker.volumes.find((volume) => typeof volume === "string" && volume.endsWith(":/var/lib/twofold")));
    expect(spools[0]).toBeDefined();
    expect(new Set(spools).size).toBe(2);
    const published = Object.values(services).flatMap((service) => service.ports.map(hostPort));
    expect(new Set(published).size, published.join(" ")).toBe(published.length);
    expect(services.console?.ports).toEqual(["127.0.0.1:3000:3000/tcp"]);
    expect(services.postgres?.ports).toEqual([]);
  });

  it("healthchecks ask /readyz on the ports the console and workers serve it on, and the commands work against them", { timeout: 60_000 }, async () => {
    const { services } = ZComposeSchema.parse(parseYaml(path.join(HERE, "compose.yaml")));
    const consolePort = services.console?.command?.at(-1);
    const healthPort = readServerEnv({}).TWOFOLD_HEALTH_PORT; // neither twofold.env.example nor compose.yaml moves it
    const script = (name: string) => {
      const test = services[name]?.healthcheck?.test ?? [];
      expect(test.slice(0, 3), name).toEqual(["CMD", "node", "-e"]);
      return test[3] ?? "";
    };
    expect(script("console")).toContain(`fetch('http://127.0.0.1:${consolePort}/readyz')`);
    for (const name of ["worker-1", "worker-2"]) expect(script(name)).toContain(`fetch('http://127.0.0.1:${healthPort}/readyz')`);

    // The very commands, pointed at a real worker's health port and the console's probes (same handlers as on the
    // console's port): 0 while ready, 1 when the console cannot reach PostgreSQL or nothing listens.
    const run = (command: string, port: number) =>
      promisify(execFile)(process.execPath, ["-e", command.replace(/127\.0\.0\.1:\d+\//, `127.0.0.1:${port}/`)]).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    const worker = await startTestWorker({ healthPort: 0 });
    const [upPort, downPort] = [await freePort(), await freePort()];
    const up = await startConsoleProbes({ databaseUrl: process.env.DATABASE_URL, host: "127.0.0.1", port: upPort, log: () => undefined });
    const down = await startConsoleProbes({ databaseUrl: `postgresql://postgres:x@127.0.0.1:${await freePort()}/twofold`, host: "127.0.0.1", port: downPort, log: () => undefined });
    try {
      expect(await run(script("worker-1"), worker.healthPort ?? 0)).toBe(0);
      expect(await run(script("console"), upPort)).toBe(0);
      expect(await run(script("console"), downPort), "console without its database").toBe(1);
      expect(await run(script("worker-1"), await freePort()), "nothing listening").toBe(1);
    } finally {
      await Promise.all([worker.stop(), up.close(), down.close()]);
    }
  });

  it("refuses to start without a database password instead of using an empty one", () => {
    const run = composeConfig({ dotEnv: "COMPOSE_PROJECT_NAME=twofold\n" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("set POSTGRES_PASSWORD in deploy/compose/.env");
  });

  it("the check itself catches a schema error (a misspelt key)", () => {
    const run = composeConfig({ dotEnv, edit: (text) => text.replace("    healthcheck: &worker-health", "    healthchek: &worker-health") });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/healthchek/);
  });
});
