import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "../secrets/envelope";
import { freePort } from "../testing/free-port";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { radclient } from "../testing/radclient";
import { runTwofold } from "../testing/run-twofold";
import { startTestWorker } from "../testing/start-test-worker";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { waitFor } from "../../worker/test-support/wait-for";

type TPlan = { dryRun: boolean; applied: boolean; changes: number; steps: { entity: string; name: string; action: string; changes: string[]; problem?: string }[]; notes: string[] };

// A Duo Authentication Proxy configuration in front of a real FreeRADIUS (the ISE it used): after the import, the NAS
// that talked to the Duo proxy gets the same answer from a Twofold worker.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let upstream: TFreeRadius;
let env: Record<string, string>;
let dir: string;
let cfgFile: string;

const cfg = (upstreamPort: number) => `; Duo Authentication Proxy
[main]
debug=true

[radius_client]
host=127.0.0.1
port=${upstreamPort}
secret=upstream-secret
retries=1
retry_wait=2
pass_through_attr_names=Class,Filter-Id

[ad_client]
host=dc1.corp.example
service_account_username=CN=svc-duo,OU=Service,DC=corp,DC=example
service_account_password=bind-pass-123
search_dn=DC=corp,DC=example
security_group_dn=CN=VPN Users,OU=Groups,DC=corp,DC=example
transport=starttls

[radius_server_auto]
ikey=DIXXXXXXXXXXXXXXXXXX
skey=abcdefghijabcdefghijabcdefghijabcdefghij
api_host=api-12345678.duosecurity.com
radius_ip_1=127.0.0.1
radius_secret_1=nas-secret-123
radius_ip_2=10.20.1.0-10.20.1.9
radius_secret_2=nas-secret-456
client=radius_client
failmode=secure
factors=push,passcode,phone
delimiter=#

[radius_server_challenge]
radius_ip_1=10.30.0.1
radius_secret_1_protected=AQAAANCMnd8BFdERjHoAwE/Cl+s=
client=ad_client

[ldap_server_auto]
client=ad_client
`;

beforeAll(async () => {
  database = await createIsolatedDatabase();
  upstream = await startFreeRadius({ secret: "upstream-secret" });
  env = { DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: process.env.TWOFOLD_SECRET_KEY ?? "" };
  dir = mkdtempSync(path.join(tmpdir(), "twofold-cli-duo-"));
  cfgFile = path.join(dir, "authproxy.cfg");
  writeFileSync(cfgFile, cfg(upstream.authPort));
  // Duo let unenrolled users in by its own (cloud) policy; here the global policy does, so the login proves the path.
  await database.prisma.policy.updateMany({ where: { applicationId: null }, data: { newUserPolicy: "allow_without_2fa" } });
});
afterAll(async () => {
  await upstream?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("twofold import-duo-proxy", { timeout: 240_000 }, () => {
  it("--dry-run prints the diff and what it could not map, changes nothing, exits 1 for the unreadable secret", async () => {
    const run = await runTwofold({ args: ["import-duo-proxy", cfgFile, "--dry-run", "--json"], env });
    expect(run.code).toBe(1);
    const plan = run.json() as TPlan;
    expect(plan.steps.map((step) => [step.entity, step.name, step.action])).toEqual([
      ["application", "radius_server_auto", "create"],
      ["policy", "radius_server_auto", "create"],
      ["application", "radius_server_challenge", "create"],
      ["policy", "radius_server_challenge", "create"],
      ["RADIUS client", "radius_server_auto-1", "create"],
      ["RADIUS client", "radius_server_auto-2-1", "create"],
      ["RADIUS client", "radius_server_auto-2-2", "create"],
      ["RADIUS client", "radius_server_challenge-1", "skip"],
      ["primary server", "radius_client (radius_server_auto)", "create"],
      ["primary server", "ad_client (radius_server_challenge)", "create"],
    ]);
    const change = (name: string) => plan.steps.find((step) => step.name === name)?.changes ?? [];
    expect(change("radius_server_auto-2-1")).toContain("address: 10.20.1.0/29");
    expect(change("radius_server_auto-2-2")).toContain("address: 10.20.1.8/31");
    expect(change("ad_client (radius_server_challenge)")).toContain("userFilter: (&(sAMAccountName={username})(memberOf:1.2.840.113556.1.4.1941:=CN=VPN Users,OU=Groups,DC=corp,DC=example))");
    expect(plan.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining("[ldap_server_auto]: Twofold serves RADIUS"),
        expect.stringContaining("factors: phone has no Twofold equivalent"),
        expect.stringContaining("radius_secret_1_protected is encrypted"),
        expect.stringContaining("ikey, skey, api_host"),
      ]),
    );
    expect(JSON.stringify(plan)).not.toMatch(/nas-secret|upstream-secret|bind-pass/);
    expect(await database.prisma.application.count()).toBe(0);
  });

  it("imports what maps (--skip-problems), and the NAS is answered by a worker through the imported upstream", async () => {
    const run = await runTwofold({ args: ["import-duo-proxy", cfgFile, "--skip-problems"], env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("applied 9 change(s)");
    const app = await database.prisma.application.findUniqueOrThrow({ where: { name: "radius_server_auto" }, include: { policy: true } });
    expect(app).toMatchObject({ primaryAuthMode: "radius", factorEntry: "append", appendDelimiter: "#", passThroughAll: false, passThroughAttrs: ["Class", "Filter-Id"] });
    expect(app.policy).toMatchObject({ failMode: "secure", allowedFactorsInherit: false, allowedFactors: ["push_device", "totp", "hotp", "bypass_codes"] });
    const challenge = await database.prisma.application.findUniqueOrThrow({ where: { name: "radius_server_challenge" }, include: { primaryAuthServers: { omit: { secret: false } } } });
    expect(challenge).toMatchObject({ primaryAuthMode: "ldap", factorEntry: "challenge" });
    expect(challenge.primaryAuthServers).toEqual([expect.objectContaining({ kind: "ldap", host: "dc1.corp.example", port: 389, tlsMode: "starttls", baseDn: "DC=corp,DC=example", bindDn: "CN=svc-duo,OU=Service,DC=corp,DC=example" })]);
    expect(decryptSecret(challenge.primaryAuthServers[0]?.secret ?? "")).toBe("bind-pass-123");
    expect(await database.prisma.radiusClient.count()).toBe(3);
    expect(await database.prisma.adminAuditEvent.count({ where: { actorEmail: "cli", action: "application.create" } })).toBe(2);

    const worker = await startTestWorker({ databaseUrl: database.url });
    try {
      const answer = await waitFor(
        async () => {
          const reply = await radclient({ port: worker.authPort, secret: "nas-secret-123", attributes: { "User-Name": "alice", "User-Password": "alice-pass" } });
          return reply.code ? reply : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(answer?.code).toBe("Access-Accept");
      // pass_through_attr_names=Class,Filter-Id: those two of the upstream's attributes, not the rest.
      expect(answer?.attributes).toEqual(expect.arrayContaining([{ name: "Class", value: "0x4f553d456e67696e656572696e673b" }, { name: "Filter-Id", value: "vpn-engineering" }]));
      expect(answer?.attributes.map((attribute) => attribute.name)).not.toContain("Framed-IP-Address");
    } finally {
      await worker.stop();
    }

    // The same file again: everything is there already.
    const again = (await runTwofold({ args: ["import-duo-proxy", cfgFile, "--dry-run", "--json"], env })).json() as TPlan;
    expect(again.steps.filter((step) => step.action !== "unchanged").map((step) => step.name)).toEqual(["radius_server_challenge-1"]);
  });

  it("host_2 shares the one secret, as the Duo proxy reads it; client options it cannot map are reported, not dropped", async () => {
    const file = path.join(dir, "failover.cfg");
    writeFileSync(
      file,
      `[radius_client2]
host=127.0.0.1
port=${await freePort()}
host_2=127.0.0.1
port_2=${upstream.authPort}
host_4=10.9.9.9
secret=upstream-secret
secret_2=not-what-duo-used
pw_codec=utf-8
retries=1
retry_wait=1

[ad_client2]
host=dc2.corp.example
port=636
transport=ldaps
service_account_username=svc-duo@corp.example
service_account_password=bind-pass-456
search_dn=DC=corp,DC=example
at_attribute=userPrincipalName
ssl_verify_hostname=false

[radius_server_auto2]
radius_ip_1=10.40.0.1
radius_secret_1=nas-secret-789
client=radius_client2
failmode=safe

[radius_server_challenge2]
radius_ip_1=10.40.0.2
radius_secret_1=nas-secret-790
client=ad_client2
failmode=safe
`,
    );
    const run = await runTwofold({ args: ["import-duo-proxy", file, "--json"], env });
    const plan = run.json() as TPlan;
    expect(plan.steps.filter((step) => step.action === "skip"), JSON.stringify(plan.steps)).toEqual([]);
    expect(run.code).toBe(0);
    expect(plan.applied).toBe(true);
    expect(plan.notes).toEqual(
      expect.arrayContaining([
        "[radius_client2] pw_codec: not mapped",
        expect.stringMatching(/^\[radius_client2\] secret_2: not mapped \(Duo's radius_client has one secret for every host/),
        "[radius_client2] host_4: not mapped", // after the gap at host_3, which the Duo proxy never read either
        "[ad_client2] at_attribute: not mapped",
        "[ad_client2] ssl_verify_hostname: not mapped",
      ]),
    );
    expect(new Set(plan.notes).size).toBe(plan.notes.length);

    const app = await database.prisma.application.findUniqueOrThrow({ where: { name: "radius_server_auto2" }, include: { primaryAuthServers: { omit: { secret: false } } } });
    app.primaryAuthServers.sort((a, b) => a.position - b.position);
    expect(app.primaryAuthServers.map((server) => [server.name, server.host, server.port, server.position])).toEqual([
      ["radius_client2", "127.0.0.1", expect.any(Number), 0],
      ["radius_client2_2", "127.0.0.1", upstream.authPort, 1],
    ]);
    for (const server of app.primaryAuthServers) expect(decryptSecret(server.secret ?? "")).toBe("upstream-secret");
    // The secondary's stored secret is the one the real upstream shares: it answers with it.
    const secondary = app.primaryAuthServers[1];
    const answer = await radclient({ port: secondary?.port ?? 0, secret: decryptSecret(secondary?.secret ?? ""), attributes: { "User-Name": "alice", "User-Password": "alice-pass" } });
    expect(answer.code).toBe("Access-Accept");

    const ldap = await database.prisma.application.findUniqueOrThrow({ where: { name: "radius_server_challenge2" }, include: { primaryAuthServers: true } });
    expect(ldap.primaryAuthServers).toEqual([expect.objectContaining({ kind: "ldap", host: "dc2.corp.example", port: 636, tlsMode: "ldaps" })]);
  });

  it("--help documents the --json shape", async () => {
    const help = await runTwofold({ args: ["import-duo-proxy", "--help"] });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--json           {"dryRun", "applied", "changes", "steps": [{"entity", "name", "action", "changes", "problem"?}], "notes"}');
  });
});
