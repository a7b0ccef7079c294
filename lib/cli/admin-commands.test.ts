import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSetupTokenUsable } from "../auth/create-owner";
import { verifyAdminPassword } from "../auth/verify-admin-password";
import { encryptSecret } from "../secrets/envelope";
import { runTwofold } from "../testing/run-twofold";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";

// Each command as an operator runs it: a child process against a database of its own (no admin exists yet).
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  database = await createIsolatedDatabase();
  env = { DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: process.env.TWOFOLD_SECRET_KEY ?? "", TWOFOLD_PUBLIC_URL: "https://mfa.example.test" };
  dir = mkdtempSync(path.join(tmpdir(), "twofold-cli-"));
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const passwordFile = (name: string, content: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  chmodSync(file, 0o600);
  return file;
};

describe("twofold usage", { timeout: 180_000 }, () => {
  it("prints help with exit 0, and exits 2 on a wrong command line", async () => {
    const help = await runTwofold({ args: ["--help"] });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("reset-admin-2fa");
    const commandHelp = await runTwofold({ args: ["create-owner", "--help"] });
    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain("Usage: twofold create-owner --username <email> --password-file");
    for (const args of [[], ["nonsense"], ["admins", "list", "--bogus"], ["create-owner", "--username", "not-an-email", "--password-file", "x"], ["reset-admin-2fa"]]) {
      const run = await runTwofold({ args, env });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
    }
  });
});

describe("first owner and admin recovery", { timeout: 180_000 }, () => {
  it("setup-link prints a usable one-time link, audited as cli", async () => {
    const run = await runTwofold({ args: ["setup-link", "--json"], env });
    expect(run.code).toBe(0);
    const { url } = run.json() as { url: string };
    expect(url).toMatch(/^https:\/\/mfa\.example\.test\/setup\?token=[\w-]{43}$/);
    expect(await isSetupTokenUsable({ prisma: database.prisma, token: new URL(url).searchParams.get("token") ?? undefined })).toBe(true);
    const audit = await database.prisma.adminAuditEvent.findFirst({ where: { action: "admin.setup_link" } });
    expect(audit).toMatchObject({ actorEmail: "cli", adminId: null });
  });

  it("create-owner refuses a weak password without side effects, then creates an owner who can sign in", async () => {
    const link = (await runTwofold({ args: ["setup-link", "--json"], env })).json() as { url: string };
    const token = new URL(link.url).searchParams.get("token") ?? undefined;

    const weak = await runTwofold({ args: ["create-owner", "--username", "Owner@Example.test", "--password-file", passwordFile("weak", "short\n")], env });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("at least 12 characters");
    expect(await database.prisma.admin.count()).toBe(0);
    // The rejected attempt issued no token, so the link printed before still works.
    expect(await isSetupTokenUsable({ prisma: database.prisma, token })).toBe(true);

    const password = "correct horse battery staple";
    const run = await runTwofold({ args: ["create-owner", "--username", "Owner@Example.test", "--name", "Olive Owner", "--password-file", passwordFile("good", `${password}\n`), "--json"], env });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const created = run.json() as { adminId: string; email: string; role: string };
    expect(created).toMatchObject({ email: "owner@example.test", role: "owner" });
    // The argon2 hash the CLI stored is the one the console's sign-in checks (the trailing newline is not part of it).
    expect(await verifyAdminPassword({ prisma: database.prisma, input: { email: "owner@example.test", password } })).toEqual({ adminId: created.adminId, totpEnabled: false, mustChangePassword: false });
    await expect(verifyAdminPassword({ prisma: database.prisma, input: { email: "owner@example.test", password: `${password}\n` } })).rejects.toThrow();
    expect(await database.prisma.admin.findUniqueOrThrow({ where: { id: created.adminId } })).toMatchObject({ role: "owner", name: "Olive Owner" });
    expect(await database.prisma.adminAuditEvent.findFirst({ where: { action: "admin.setup_owner", targetId: created.adminId } })).toMatchObject({ actorEmail: "cli", adminId: null });
    expect(await isSetupTokenUsable({ prisma: database.prisma, token })).toBe(false);

    // Only ever the first one.
    const second = await runTwofold({ args: ["create-owner", "--username", "other@example.test", "--password-file", "-"], env, stdin: `${password}\n` });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("already exists");
    expect((await runTwofold({ args: ["setup-link"], env })).code).toBe(1);
    expect(await database.prisma.admin.count()).toBe(1);
  });

  it("admins list shows the owner; reset-admin-2fa drops the TOTP seed and every session", async () => {
    const owner = await database.prisma.admin.findUniqueOrThrow({ where: { email: "owner@example.test" } });
    await database.prisma.admin.update({ where: { id: owner.id }, data: { totpEnabled: true, totpSecret: encryptSecret("JBSWY3DPEHPK3PXP") } });
    await database.prisma.adminSession.create({ data: { adminId: owner.id, tokenHash: `cli-test-${owner.id}`, mfaVerified: true, expiresAt: new Date(Date.now() + 3_600_000) } });

    const list = await runTwofold({ args: ["admins", "list", "--json"], env });
    expect(list.code).toBe(0);
    expect(list.json()).toEqual([expect.objectContaining({ email: "owner@example.test", role: "owner", totpEnabled: true, disabled: false })]);
    expect(JSON.stringify(list.json())).not.toMatch(/passwordHash|totpSecret/);

    const reset = await runTwofold({ args: ["reset-admin-2fa", "OWNER@example.test", "--json"], env });
    expect(reset.code).toBe(0);
    expect(reset.json()).toMatchObject({ email: "owner@example.test", hadTotp: true, sessionsEnded: 1 });
    const after = await database.prisma.admin.findUniqueOrThrow({ where: { id: owner.id }, omit: { totpSecret: false } });
    expect(after).toMatchObject({ totpEnabled: false, totpSecret: null });
    expect(await database.prisma.adminSession.count({ where: { adminId: owner.id } })).toBe(0);
    expect(await database.prisma.adminAuditEvent.findFirst({ where: { action: "admin.totp_reset", targetId: owner.id } })).toMatchObject({
      actorEmail: "cli",
      adminId: null,
      before: { totpEnabled: true },
      after: { totpEnabled: false, sessionsEnded: 1 },
    });

    const unknown = await runTwofold({ args: ["reset-admin-2fa", "nobody@example.test"], env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No administrator has the email nobody@example.test");
  });
});
