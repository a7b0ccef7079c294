import { randomUUID } from "node:crypto";
import { Attribute, Change, Client, SizeLimitExceededError } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { authenticateLdap } from "../primary-auth/ldap";
import { resolveIdentity } from "../auth-flow/resolve-identity";
import { encryptSecret } from "../secrets/envelope";
import { freePort } from "../testing/free-port";
import { startSlapd, type TSlapd } from "../testing/slapd";
import type { TPrisma } from "../db";
import { runDirectorySync } from "./run-directory-sync";
import { saveSyncSettings } from "./save-sync-settings";

// Directory sync against a real slapd and a database of its own: users added, renamed, moved between groups and
// removed between two syncs; the dry-run diff first, then the applied result.
let slapd: TSlapd;
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let prisma: TPrisma;
let root: Client;
const actor = { email: "sync-test@twofold.test" };

const person = (uid: string, cn: string, ou = "people") => [`uid=${uid},ou=${ou},${slapd.baseDn}`, { objectClass: "inetOrgPerson", uid, cn, sn: cn, mail: `${uid}@twofold.test`, userPassword: `${uid}-Pass1` }] as const;
const groupDn = (cn: string) => `cn=${cn},${slapd.groupsDn}`;
const members = (cn: string, operation: "add" | "delete", dns: string[]) =>
  root.modify(groupDn(cn), new Change({ operation, modification: new Attribute({ type: "member", values: dns }) }));

const createServer = async (settings: Record<string, unknown>) => {
  const server = await prisma.primaryAuthServer.create({
    data: { name: `slapd-${randomUUID().slice(0, 8)}`, kind: "ldap", host: "127.0.0.1", port: slapd.port, secret: encryptSecret(slapd.bindPassword), bindDn: slapd.bindDn, baseDn: slapd.baseDn, userFilter: "(uid={username})", timeoutMs: 5000 },
  });
  await saveSyncSettings({ prisma, actor, serverId: server.id, input: settings });
  return server;
};

beforeAll(async () => {
  [slapd, database] = await Promise.all([startSlapd(), createIsolatedDatabase()]);
  prisma = database.prisma;
  root = new Client({ url: slapd.url });
  await root.bind(slapd.rootDn, slapd.rootPassword);
});
afterAll(async () => {
  await root?.unbind().catch(() => {});
  await slapd?.stop();
  await database?.drop();
});

const names = (rows: { username: string }[]) => rows.map((row) => row.username);
const memberships = async (group: string) =>
  (await prisma.groupMember.findMany({ where: { group: { name: group } }, include: { user: { select: { username: true } } } })).map((row) => row.user.username).sort();

describe("directory sync against slapd", { timeout: 120_000 }, () => {
  it("previews, then applies; a second sync after adds, a rename, a move and a removal renames, moves and disables", async () => {
    const groups = ["engineering", "sales", "vpn-users"].map(groupDn);
    await members("sales", "add", [`uid=eve,${slapd.peopleDn}`]);
    const carol = await prisma.user.create({ data: { username: "carol" } }); // created by hand earlier: adopted, not duplicated
    const server = await createServer({ groupDns: groups });

    const preview = await runDirectorySync({ prisma, actor, serverId: server.id, apply: false });
    expect(names(preview.diff.creates)).toEqual(["alice", "bob", "eve"]);
    expect(preview.diff.creates[0]).toMatchObject({ displayName: "Alice Anders", email: "alice@twofold.test" });
    expect(preview.diff.links).toEqual([expect.objectContaining({ userId: carol.id, username: "carol" })]);
    expect(preview.diff.groupCreates.map((row) => row.name)).toEqual(["engineering", "sales", "vpn-users"]);
    expect(preview.diff.memberAdds.map((row) => `${row.group}:${row.username}`)).toEqual([
      "engineering:alice", "engineering:carol", "sales:bob", "sales:eve", "vpn-users:alice", "vpn-users:bob", "vpn-users:carol",
    ]);
    expect(await prisma.user.count()).toBe(1); // a dry-run writes nothing
    expect(await prisma.group.count()).toBe(0);

    const first = await runDirectorySync({ prisma, actor, serverId: server.id, apply: true, expectedHash: preview.hash });
    expect(first.applied).toBe(true);
    expect(await memberships("vpn-users")).toEqual(["alice", "bob", "carol"]);
    const bob = await prisma.user.findUniqueOrThrow({ where: { username: "bob" } });
    await prisma.authenticator.create({ data: { userId: bob.id, kind: "totp", name: "bob's phone", active: true } });
    const eve = await prisma.user.findUniqueOrThrow({ where: { username: "eve" } });
    await prisma.authEvent.create({ data: { eventId: randomUUID(), usernameRaw: "eve", username: "eve", userId: eve.id, result: "success", reason: "valid_passcode", workerId: "test" } });

    // Between the syncs: dave joins engineering; bob is renamed robert (same entryUUID; slapd has no refint, so the
    // groups' member values are updated by hand as AD would); alice moves from engineering to sales; eve is deleted.
    await root.add(...person("dave", "Dave Dunn"));
    await members("engineering", "add", [`uid=dave,${slapd.peopleDn}`]);
    await root.modifyDN(`uid=bob,${slapd.peopleDn}`, `uid=robert`);
    for (const cn of ["sales", "vpn-users"]) {
      await members(cn, "delete", [`uid=bob,${slapd.peopleDn}`]);
      await members(cn, "add", [`uid=robert,${slapd.peopleDn}`]);
    }
    await members("engineering", "delete", [slapd.users.alice.dn]);
    await members("sales", "add", [slapd.users.alice.dn]);
    await root.del(`uid=eve,${slapd.peopleDn}`); // its member value in sales stays behind, dangling

    const second = await runDirectorySync({ prisma, actor, serverId: server.id, apply: false });
    expect(names(second.diff.creates)).toEqual(["dave"]);
    expect(second.diff.renames).toEqual([expect.objectContaining({ userId: bob.id, from: "bob", to: "robert" })]);
    expect(second.diff.disables).toEqual([expect.objectContaining({ userId: eve.id, username: "eve" })]);
    expect(second.diff.memberAdds.map((row) => `${row.group}:${row.username}`)).toEqual(["engineering:dave", "sales:alice", "vpn-users:dave"]);
    expect(second.diff.memberRemoves.map((row) => `${row.group}:${row.username}`)).toEqual(["engineering:alice", "sales:eve", "vpn-users:alice"]);

    // Applying what the admin did not see is refused, and changes nothing.
    await expect(runDirectorySync({ prisma, actor, serverId: server.id, apply: true, expectedHash: preview.hash })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await prisma.user.count({ where: { username: "dave" } })).toBe(0);

    await runDirectorySync({ prisma, actor, serverId: server.id, apply: true, expectedHash: second.hash });
    const robert = await prisma.user.findUniqueOrThrow({ where: { username: "robert" }, include: { authenticators: true } });
    expect(robert.id).toBe(bob.id);
    expect(robert.authenticators.map((row) => row.name)).toEqual(["bob's phone"]);
    expect(await prisma.user.count({ where: { username: "bob" } })).toBe(0);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: eve.id } })).toMatchObject({ status: "disabled" });
    expect(await prisma.authEvent.count({ where: { userId: eve.id } })).toBe(1);
    expect(await memberships("engineering")).toEqual(["carol", "dave"]);
    expect(await memberships("sales")).toEqual(["alice", "robert"]);
    expect(await memberships("vpn-users")).toEqual(["carol", "dave", "robert"]);
    expect(await prisma.adminAuditEvent.count({ where: { action: "directory_sync.apply", targetId: server.id } })).toBe(2);
    expect(await prisma.directorySync.findUniqueOrThrow({ where: { serverId: server.id } })).toMatchObject({ lastStatus: "applied" });

    // A login of the renamed entry resolves to exactly the synced user.
    const login = await authenticateLdap({
      server: { ...server, secret: slapd.bindPassword, tlsMode: "none" },
      request: { username: "ROBERT", password: Buffer.from(slapd.users.bob.password, "utf8") },
    });
    expect(login.outcome).toBe("accept");
    const identity = login.outcome === "accept" ? resolveIdentity({ typed: "robert", primaryIdentity: login.identity, mode: "none" }) : undefined;
    expect(identity).toEqual({ ok: true, username: robert.username });

    // Nothing left to do: the next sync is empty.
    const third = await runDirectorySync({ prisma, actor, serverId: server.id, apply: false });
    expect({ ...third.diff, refused: [], warnings: [] }).toEqual({ ...emptyDiff, refused: [], warnings: [] });

    // eve comes back (a new entry of the same name): the disabled user is adopted and enabled, not duplicated.
    await root.add(...person("eve", "Eve Again")); // the member value left dangling in sales names it again
    const back = await runDirectorySync({ prisma, actor, serverId: server.id, apply: true });
    expect(back.diff.links).toEqual([expect.objectContaining({ userId: eve.id })]);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: eve.id } })).toMatchObject({ status: "active", displayName: "Eve Again" });
  });

  it("refuses hostile entries (two names folding to one, control bytes) and reports them, importing the rest", async () => {
    await root.add(`ou=contractors,${slapd.baseDn}`, { objectClass: "organizationalUnit", ou: "contractors" });
    const [twinDn, twin] = person("ＦＲＡＮＫ", "Frank Twin", "contractors");
    await root.add(twinDn, { ...twin, mail: "frank.twin@twofold.test" });
    await root.add(...person("frank", "Frank Real"));
    const [ctlDn, ctl] = person("mallory", "Mallory", "contractors");
    await root.add(ctlDn, { ...ctl, displayName: "Mallory\r\nBcc: victim@example.com" });
    // slapd stores a control byte in a directoryString as it is: the name is refused, not imported as "trent?x".
    const [controlDn, control] = person("trent\u0001x", "Trent", "contractors");
    await root.add(controlDn, control);
    await root.add(groupDn("hostile"), { objectClass: "groupOfNames", cn: "hostile", member: [twinDn, `uid=frank,${slapd.peopleDn}`, ctlDn, controlDn] });
    const server = await createServer({ groupDns: [groupDn("hostile")] });
    const run = await runDirectorySync({ prisma, actor, serverId: server.id, apply: true });
    expect(run.diff.refused.map((row) => row.reason).sort()).toEqual([
      "account name contains U+0001",
      'another directory entry has the same account name "frank" after normalization',
      'another directory entry has the same account name "frank" after normalization',
    ]);
    expect(run.diff.refused.map((row) => row.dn)).toEqual(expect.arrayContaining([`uid=frank,${slapd.peopleDn}`, twinDn]));
    expect(await prisma.user.count({ where: { username: { startsWith: "trent" } } })).toBe(0);
    expect(await prisma.user.count({ where: { username: "frank" } })).toBe(0);
    expect(await prisma.user.findUniqueOrThrow({ where: { username: "mallory" } })).toMatchObject({ displayName: "" });
    expect(run.diff.warnings.map((row) => row.detail)).toContainEqual(expect.stringMatching(/display name: value contains U\+000D/));
  });

  it("an account disabled in AD's userAccountControl disables its Twofold user, and enabling it there enables it again", async () => {
    await root.add(`ou=ad,${slapd.baseDn}`, { objectClass: "organizationalUnit", ou: "ad" });
    const [dn, entry] = person("zoe", "Zoe Ad", "ad");
    await root.add(dn, { ...entry, objectClass: ["inetOrgPerson", "twofoldAdAccount"], userAccountControl: "512" });
    await root.add(groupDn("ad-vpn"), { objectClass: "groupOfNames", cn: "ad-vpn", member: [dn] });
    const server = await createServer({ groupDns: [groupDn("ad-vpn")] });
    const control = (value: string) => root.modify(dn, new Change({ operation: "replace", modification: new Attribute({ type: "userAccountControl", values: [value] }) }));
    const status = async () => (await prisma.user.findUniqueOrThrow({ where: { username: "zoe" } })).status;

    await runDirectorySync({ prisma, actor, serverId: server.id, apply: true });
    expect(await status()).toBe("active");
    await control("514"); // NORMAL_ACCOUNT | ACCOUNTDISABLE
    const disabled = await runDirectorySync({ prisma, actor, serverId: server.id, apply: true });
    expect(disabled.diff.disables).toEqual([expect.objectContaining({ username: "zoe", why: "disabled in the directory" })]);
    expect(await status()).toBe("disabled");
    await control("512");
    const enabled = await runDirectorySync({ prisma, actor, serverId: server.id, apply: true });
    expect(names(enabled.diff.enables)).toEqual(["zoe"]);
    expect(await status()).toBe("active");
  });

  it("two syncs of one server at once (console and worker) apply once: the second sees the first's result", async () => {
    await root.add(`ou=concurrent,${slapd.baseDn}`, { objectClass: "organizationalUnit", ou: "concurrent" });
    const dns = [];
    for (const uid of ["conc1", "conc2"]) {
      const [dn, attributes] = person(uid, uid, "concurrent");
      await root.add(dn, attributes);
      dns.push(dn);
    }
    await root.add(groupDn("concurrent"), { objectClass: "groupOfNames", cn: "concurrent", member: dns });
    const server = await createServer({ userBaseDn: `ou=concurrent,${slapd.baseDn}`, groupDns: [groupDn("concurrent")] });
    const runs = await Promise.all([1, 2].map(() => runDirectorySync({ prisma, actor, serverId: server.id, apply: true })));
    expect(runs.map((run) => run.diff.creates.length).sort()).toEqual([0, 2]);
    expect(await prisma.user.count({ where: { username: { in: ["conc1", "conc2"] } } })).toBe(2);
    expect(await memberships("concurrent")).toEqual(["conc1", "conc2"]);
  });

  it("an unreachable directory changes nothing and is recorded as a failed run", async () => {
    const server = await createServer({ groupDns: [groupDn("sales")] });
    await prisma.primaryAuthServer.update({ where: { id: server.id }, data: { port: await freePort(), timeoutMs: 500 } });
    const users = await prisma.user.count();
    await expect(runDirectorySync({ prisma, actor, serverId: server.id, apply: true })).rejects.toMatchObject({ code: "UNAVAILABLE", message: /Nothing was changed/ });
    expect(await prisma.user.count()).toBe(users);
    expect(await prisma.directorySync.findUniqueOrThrow({ where: { serverId: server.id } })).toMatchObject({ lastStatus: "failed" });
  });

  it("reads a group larger than the directory's size limit with paged searches", async () => {
    await root.add(`ou=bulk,${slapd.baseDn}`, { objectClass: "organizationalUnit", ou: "bulk" });
    const dns: string[] = [];
    for (let start = 0; start < 1100; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, offset) => {
          const [dn, attributes] = person(`bulk${start + offset}`, `Bulk ${start + offset}`, "bulk");
          dns.push(dn);
          return root.add(dn, attributes);
        }),
      );
    }
    await root.add(groupDn("bulk"), { objectClass: "groupOfNames", cn: "bulk", member: dns });
    // Without paging slapd refuses past its 500-entry limit: the sync must not depend on that being raised.
    const service = new Client({ url: slapd.url });
    await service.bind(slapd.bindDn, slapd.bindPassword);
    await expect(service.search(`ou=bulk,${slapd.baseDn}`, { scope: "sub", filter: "(objectClass=inetOrgPerson)" })).rejects.toBeInstanceOf(SizeLimitExceededError);
    await service.unbind();

    const server = await createServer({ userBaseDn: `ou=bulk,${slapd.baseDn}`, groupDns: [groupDn("bulk")] });
    const run = await runDirectorySync({ prisma, actor, serverId: server.id, apply: true });
    expect(run.diff.creates).toHaveLength(1100);
    expect(await memberships("bulk")).toHaveLength(1100);
  });
});

const emptyDiff = {
  creates: [], links: [], renames: [], updates: [], dnChanges: [], disables: [], enables: [],
  groupCreates: [], groupLinks: [], groupRenames: [], memberAdds: [], memberRemoves: [], refused: [], warnings: [],
};
