import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApplication } from "../applications/create-application";
import { saveGroup } from "../groups/manage-groups";
import { savePolicy } from "../policy/save-policy";
import { savePrimaryAuthServer } from "../primary-auth/manage-primary-auth-servers";
import { createRadiusClient } from "../radius-clients/create-radius-client";
import { decryptSecret } from "../secrets/envelope";
import { parseSecretKey } from "../secrets/secret-key";
import { runTwofold } from "../testing/run-twofold";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";

type TPlan = { dryRun: boolean; applied: boolean; changes: number; steps: { entity: string; name: string; action: string; changes: string[]; problem?: string }[]; notes: string[] };

// Export from one installation, import into another with a different key: the same configuration arrives, and no
// secret is ever in clear in between.
const actor = { email: "test-seed" };
const policy = (overrides: Record<string, unknown> = {}) => ({
  newUserPolicy: null, usernameNormalization: null, failMode: null, lockoutThreshold: null, autoUnlockMinutes: null, challengeTimeoutSec: null,
  maxChallengeAttempts: null, pushTimeoutSec: null, pushRateLimitPerHour: null, verifiedPush: null, whenNothingTyped: null, allowedFactorsInherit: true, allowedFactors: [],
  authorizedNetworksInherit: true, authorizedNetworks: [], ...overrides,
});
let source: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let target: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let dir: string;
let sourceEnv: Record<string, string>;
let targetEnv: Record<string, string>;
const targetKey = randomBytes(32).toString("base64");

beforeAll(async () => {
  [source, target] = await Promise.all([createIsolatedDatabase(), createIsolatedDatabase()]);
  dir = mkdtempSync(path.join(tmpdir(), "twofold-cli-config-"));
  sourceEnv = { DATABASE_URL: source.url, TWOFOLD_SECRET_KEY: process.env.TWOFOLD_SECRET_KEY ?? "" };
  targetEnv = { DATABASE_URL: target.url, TWOFOLD_SECRET_KEY: targetKey };
  const prisma = source.prisma;
  const group = await saveGroup({ prisma, actor, input: { name: "vpn-users", description: "VPN" } });
  const app = await createApplication({ prisma, actor, input: { name: "asa-vpn", kind: "radius", primaryAuthMode: "radius", factorEntry: "both", appendDelimiter: ",", passThroughAll: false, passThroughAttrs: "Class\nFilter-Id", permittedGroupIds: [group.id] } });
  await savePolicy({ prisma, actor, input: policy({ failMode: "safe", lockoutThreshold: 5 }) });
  await savePolicy({ prisma, actor, applicationId: app.id, input: policy({ pushTimeoutSec: 40 }) });
  await createRadiusClient({ prisma, actor, input: { name: "asa-1", address: "10.20.0.1", secret: "nas-shared-secret-1", applicationId: app.id, coaPort: 3799 } });
  await savePrimaryAuthServer({ prisma, actor, input: { name: "ise-1", kind: "radius", applicationId: app.id, host: "10.1.0.5", port: 1812, secret: "ise-shared-secret", timeoutMs: 3000, retries: 2 } });
  await savePrimaryAuthServer({ prisma, actor, input: { name: "dc-1", kind: "ldap", host: "dc1.corp.example", port: 636, tlsMode: "ldaps", bindDn: "CN=svc,DC=corp", secret: "bind-password-1", baseDn: "DC=corp" } });
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

const SECRETS = ["nas-shared-secret-1", "ise-shared-secret", "bind-password-1"];

describe("twofold config export / import", { timeout: 240_000 }, () => {
  it("exports without secrets by default", async () => {
    const run = await runTwofold({ args: ["config", "export"], env: sourceEnv });
    expect(run.code).toBe(0);
    for (const secret of SECRETS) expect(run.stdout).not.toContain(secret);
    const document = run.json() as { secrets: unknown; applications: Record<string, unknown>[]; radiusClients: Record<string, unknown>[] };
    expect(document.secrets).toEqual({ mode: "omitted" });
    expect(document.applications[0]).not.toHaveProperty("skey");
    expect(document.radiusClients[0]).toMatchObject({ name: "asa-1", address: "10.20.0.1", application: "asa-vpn" });
    expect(document.radiusClients[0]).not.toHaveProperty("secret");
  });

  it("moves everything to another installation with --reencrypt-for its key: diff first, then the same rows", async () => {
    const keyFile = path.join(dir, "target.key");
    writeFileSync(keyFile, `${targetKey}\n`);
    const file = path.join(dir, "export.json");
    const exported = await runTwofold({ args: ["config", "export", "--reencrypt-for", keyFile, "--out", file], env: sourceEnv });
    expect(exported.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    for (const secret of SECRETS) expect(text).not.toContain(secret);

    // The source's key cannot read it, so importing it back there is refused.
    const wrongKey = await runTwofold({ args: ["config", "import", file, "--dry-run"], env: sourceEnv });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain("not this installation's TWOFOLD_SECRET_KEY");

    const dry = await runTwofold({ args: ["config", "import", file, "--dry-run", "--json"], env: targetEnv });
    expect(dry.code).toBe(0);
    const plan = dry.json() as TPlan;
    expect(plan).toMatchObject({ dryRun: true, applied: false, changes: 0 });
    expect(plan.steps.map((step) => [step.entity, step.name, step.action])).toEqual([
      ["group", "vpn-users", "create"],
      ["policy", "global", "update"], // the target's migration seeded a global policy row
      ["application", "asa-vpn", "create"],
      ["policy", "asa-vpn", "create"],
      ["RADIUS client", "asa-1", "create"],
      ["primary server", "dc-1 (global)", "create"],
      ["primary server", "ise-1 (asa-vpn)", "create"],
    ]);
    expect(plan.steps.find((step) => step.name === "global")?.changes).toEqual(expect.arrayContaining(["failMode: secure → safe", "lockoutThreshold: 10 → 5"]));
    expect(await target.prisma.application.count()).toBe(0);

    const run = await runTwofold({ args: ["config", "import", file, "--json"], env: targetEnv });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ applied: true, changes: 7 });
    const key = parseSecretKey(targetKey);
    const app = await target.prisma.application.findUniqueOrThrow({ where: { name: "asa-vpn" }, include: { permittedGroups: { include: { group: true } }, policy: true } });
    expect(app).toMatchObject({ passThroughAll: false, passThroughAttrs: ["Class", "Filter-Id"], policy: { pushTimeoutSec: 40 } });
    expect(app.permittedGroups.map((permitted) => permitted.group.name)).toEqual(["vpn-users"]);
    const client = await target.prisma.radiusClient.findUniqueOrThrow({ where: { name: "asa-1" }, omit: { secret: false } });
    expect(decryptSecret(client.secret, key)).toBe("nas-shared-secret-1");
    expect(client).toMatchObject({ applicationId: app.id, coaPort: 3799 });
    const ise = await target.prisma.primaryAuthServer.findFirstOrThrow({ where: { name: "ise-1" }, omit: { secret: false } });
    expect(ise).toMatchObject({ applicationId: app.id, host: "10.1.0.5", timeoutMs: 3000, retries: 2 });
    expect(decryptSecret(ise.secret ?? "", key)).toBe("ise-shared-secret");
    expect(await target.prisma.policy.findFirst({ where: { applicationId: null } })).toMatchObject({ failMode: "safe", lockoutThreshold: 5 });
    expect(await target.prisma.adminAuditEvent.count({ where: { actorEmail: "cli", action: "radius_client.create" } })).toBe(1);

    // Again: nothing left to do. An edited field shows as one update.
    const again = (await runTwofold({ args: ["config", "import", file, "--dry-run", "--json"], env: targetEnv })).json() as TPlan;
    expect(again.steps.every((step) => step.action === "unchanged")).toBe(true);
    const edited = JSON.parse(text) as { primaryServers: { name: string; port: number }[] };
    for (const server of edited.primaryServers) if (server.name === "ise-1") server.port = 1645;
    writeFileSync(file, JSON.stringify(edited));
    const diff = (await runTwofold({ args: ["config", "import", file, "--dry-run"], env: targetEnv })).stdout;
    expect(diff).toMatch(/^~ primary server ise-1 \(asa-vpn\)\s+port: 1812 → 1645$/m);
    expect(diff).toContain("0 to create, 1 to update, 6 unchanged, 0 cannot be imported");
  });

  it("a new client without its secret cannot be imported: nothing is applied (exit 1)", async () => {
    const document = (await runTwofold({ args: ["config", "export"], env: sourceEnv })).json() as { radiusClients: Record<string, unknown>[]; groups: Record<string, unknown>[] };
    document.radiusClients.push({ name: "asa-2", address: "10.20.0.2", requireMessageAuthenticator: true, application: "asa-vpn" });
    document.groups.push({ name: "new-group", description: "" });
    const file = path.join(dir, "no-secret.json");
    writeFileSync(file, JSON.stringify(document));
    const run = await runTwofold({ args: ["config", "import", file], env: targetEnv });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^! RADIUS client asa-2\s+cannot: no shared secret in the file/m);
    expect(await target.prisma.group.count({ where: { name: "new-group" } })).toBe(0);
    const skipped = await runTwofold({ args: ["config", "import", file, "--skip-problems", "--json"], env: targetEnv });
    expect(skipped.json()).toMatchObject({ applied: true, changes: 1 });
    expect(await target.prisma.group.count({ where: { name: "new-group" } })).toBe(1);
  });
});
