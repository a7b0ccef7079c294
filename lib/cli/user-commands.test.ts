import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTwofold } from "../testing/run-twofold";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";

// users list|unlock|disable|enable|import as child processes against a database of their own, so lists are exact.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  database = await createIsolatedDatabase();
  env = { DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: process.env.TWOFOLD_SECRET_KEY ?? "" };
  dir = mkdtempSync(path.join(tmpdir(), "twofold-cli-users-"));
  const group = await database.prisma.group.create({ data: { name: "vpn-users" } });
  await database.prisma.user.create({ data: { username: "alice", email: "alice@example.test", status: "locked_out", failedAttempts: 10, lockedAt: new Date() } });
  await database.prisma.user.create({ data: { username: "bob", groups: { create: { groupId: group.id } } } });
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const user = (username: string) => database.prisma.user.findUniqueOrThrow({ where: { username } });
const audit = (action: string, userId: string) => database.prisma.adminAuditEvent.findFirst({ where: { action, targetId: userId } });

describe("twofold users", { timeout: 180_000 }, () => {
  it("lists users, filtered by the console's search", async () => {
    const all = await runTwofold({ args: ["users", "list", "--json"], env });
    expect(all.code).toBe(0);
    expect(all.json()).toEqual([
      expect.objectContaining({ username: "alice", status: "locked_out", failedAttempts: 10, groups: [] }),
      expect.objectContaining({ username: "bob", status: "active", groups: ["vpn-users"], authenticators: 0 }),
    ]);
    const byGroup = await runTwofold({ args: ["users", "list", "--query", "VPN", "--json"], env });
    expect((byGroup.json() as { username: string }[]).map((row) => row.username)).toEqual(["bob"]);
    const text = await runTwofold({ args: ["users", "list", "--limit", "1"], env });
    expect(text.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^USERNAME\s+STATUS/), expect.stringMatching(/^alice\s+locked_out\s+alice@example\.test/)]);
  });

  it("unlocks (the name typed as the NAS might), disables and enables, each audited as cli", async () => {
    const unlock = await runTwofold({ args: ["users", "unlock", "ALICE", "--json"], env });
    expect(unlock.code).toBe(0);
    expect(unlock.json()).toEqual({ username: "alice", before: "locked_out", after: "active" });
    const alice = await user("alice");
    expect(alice).toMatchObject({ status: "active", failedAttempts: 0, lockedAt: null });
    expect(await audit("user.unlock", alice.id)).toMatchObject({ actorEmail: "cli", adminId: null });

    const disable = await runTwofold({ args: ["users", "disable", "bob"], env });
    expect(disable.code).toBe(0);
    expect(disable.stdout).toContain("bob: active → disabled");
    const bob = await user("bob");
    expect(bob.status).toBe("disabled");
    expect(await audit("user.disable", bob.id)).toMatchObject({ actorEmail: "cli", before: { status: "active" }, after: { status: "disabled" } });

    const enable = await runTwofold({ args: ["users", "enable", "bob", "--json"], env });
    expect(enable.json()).toEqual({ username: "bob", before: "disabled", after: "active" });
    expect((await user("bob")).status).toBe("active");

    const missing = await runTwofold({ args: ["users", "unlock", "nobody"], env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No user named nobody");
  });

  it("imports a CSV with the console's rules: bad rows listed and skipped, exit 1", async () => {
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "username,email,groups\ndave,not-an-email,\n");
    const refused = await runTwofold({ args: ["users", "import", bad], env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Line 2: email: not a valid email address");
    expect(await database.prisma.user.count({ where: { username: "dave" } })).toBe(0);

    const good = path.join(dir, "good.csv");
    writeFileSync(good, '\uFEFFusername,email,groups\nCarol,carol@example.test,"vpn-users;ops, night"\nbob,bob@example.test,\n');
    const run = await runTwofold({ args: ["users", "import", good, "--json"], env });
    expect(run.code).toBe(0);
    expect(run.json()).toEqual({ created: 1, updated: 1, passwordsSet: 0, errors: [] });
    const carol = await database.prisma.user.findUniqueOrThrow({ where: { username: "carol" }, include: { groups: { include: { group: true } } } });
    expect(carol.groups.map((member) => member.group.name).sort()).toEqual(["ops, night", "vpn-users"]);
    expect((await user("bob")).email).toBe("bob@example.test");
    expect(await database.prisma.adminAuditEvent.findFirst({ where: { action: "user.import_csv" } })).toMatchObject({ actorEmail: "cli", after: { created: 1, updated: 1 } });

    const piped = await runTwofold({ args: ["users", "import", "-", "--json"], env, stdin: "erin\n" });
    expect(piped.json()).toEqual({ created: 1, updated: 0, passwordsSet: 0, errors: [] });
  });
});
