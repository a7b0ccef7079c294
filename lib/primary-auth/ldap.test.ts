import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/free-port";
import { startSlapd, type TSlapd } from "../testing/slapd";
import { authenticateApplicationLdap } from "./authenticate-application-ldap";
import { authenticateLdapServers } from "./authenticate-ldap-servers";
import { authenticateLdap, type TLdapServer } from "./ldap";
import { buildUserFilter, escapeLdapFilterValue, firstRdnValue } from "./ldap-filter";

let slapd: TSlapd;
let server: TLdapServer;
beforeAll(async () => {
  slapd = await startSlapd();
  server = {
    name: "slapd",
    host: "127.0.0.1",
    port: slapd.port,
    secret: slapd.bindPassword,
    bindDn: slapd.bindDn,
    baseDn: slapd.baseDn,
    userFilter: "(uid={username})",
    groupAttribute: null,
    usernameAttribute: null,
    tlsMode: "none",
    timeoutMs: 2000,
  };
});
afterAll(async () => {
  await slapd?.stop();
});

const auth = (username: string, password: string, overrides: Partial<TLdapServer> = {}) =>
  authenticateLdap({ server: { ...server, ...overrides }, request: { username, password: Buffer.from(password, "utf8") } });

describe("escapeLdapFilterValue", () => {
  it("escapes every filter metacharacter and leaves UTF-8 alone", () => {
    expect(escapeLdapFilterValue("a*b(c)d\\e\0f wörd")).toBe("a\\2ab\\28c\\29d\\5ce\\00f wörd");
    expect(buildUserFilter("(uid={username})", "admin)(|(uid=*")).toBe("(uid=admin\\29\\28|\\28uid=\\2a)");
    expect(() => buildUserFilter("(uid=alice)", "x")).toThrow(/username/);
    expect(firstRdnValue("cn=VPN\\2C Users,ou=groups,dc=x")).toBe("VPN, Users");
    expect(firstRdnValue("CN=J\\C3\\BCrgen,OU=x")).toBe("Jürgen");
  });
});

describe("authenticateLdap against slapd", () => {
  it("accepts the right password and returns the user's groups", async () => {
    const result = await auth("alice", slapd.users.alice.password);
    expect(result).toMatchObject({ outcome: "accept", groups: ["engineering"], server: "slapd" });
  });

  it("finds nested groups by searching member= and expanding", async () => {
    const result = await auth("carol", slapd.users.carol.password, { groupAttribute: "member" });
    expect(result.outcome).toBe("accept");
    if (result.outcome !== "accept") return;
    expect(result.groups.sort()).toEqual(["engineering", "vpn-users"]);
    expect(result.groupDns).toContain(`cn=vpn-users,${slapd.groupsDn}`);
  });

  it("rejects a wrong password, an unknown user and an empty password", async () => {
    expect((await auth("alice", "wrong")).outcome).toBe("reject");
    expect((await auth("mallory", "whatever")).outcome).toBe("reject");
    expect((await auth("alice", "")).outcome).toBe("reject");
    expect((await auth("", "x")).outcome).toBe("reject");
    // A filter that matches several people is ambiguous: reject, even with a password that fits one of them.
    expect((await auth("alice", slapd.users.alice.password, { userFilter: "(|(uid={username})(objectClass=inetOrgPerson))" })).outcome).toBe("reject");
  });

  it("cannot be steered by filter injection in the username", async () => {
    // Unescaped, "al*" would find exactly alice and her password would be accepted.
    expect((await auth("al*", slapd.users.alice.password)).outcome).toBe("reject");
    expect((await auth("*", slapd.users.alice.password)).outcome).toBe("reject");
    expect((await auth("alice)(uid=*", slapd.users.alice.password)).outcome).toBe("reject");
    expect((await auth("x)(|(uid=alice)", slapd.users.alice.password, { userFilter: "(&(objectClass=inetOrgPerson)(uid={username}))" })).outcome).toBe("reject");
  });

  it("speaks StartTLS and ldaps", async () => {
    const tlsOptions = { ca: slapd.caCert };
    const starttls = await authenticateLdap({ server: { ...server, tlsMode: "starttls" }, request: { username: "bob", password: Buffer.from(slapd.users.bob.password) }, tlsOptions });
    expect(starttls).toMatchObject({ outcome: "accept", groups: ["sales", "vpn-users"] });
    const ldaps = await authenticateLdap({ server: { ...server, tlsMode: "ldaps", port: slapd.ldapsPort }, request: { username: "bob", password: Buffer.from(slapd.users.bob.password) }, tlsOptions });
    expect(ldaps.outcome).toBe("accept");
    // Without trusting the self-signed certificate the connection must fail, not silently downgrade.
    const untrusted = await authenticateLdap({ server: { ...server, tlsMode: "ldaps", port: slapd.ldapsPort }, request: { username: "bob", password: Buffer.from(slapd.users.bob.password) } });
    expect(untrusted.outcome).toBe("error");
  });

  it("reports a wrong service-account secret as an error, not a reject", async () => {
    const result = await auth("alice", slapd.users.alice.password, { secret: "not-it" });
    expect(result.outcome).toBe("error");
  });

  it("times out on a server that never answers, errors on one that is down, and fails over", async () => {
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => held.push(socket));
    const silentPort = await freePort();
    await new Promise<void>((resolve) => silent.listen(silentPort, "127.0.0.1", resolve));
    try {
      const timeout = await auth("alice", slapd.users.alice.password, { port: silentPort, timeoutMs: 300 });
      expect(timeout.outcome).toBe("timeout");
      const down = await auth("alice", slapd.users.alice.password, { port: await freePort() });
      expect(down.outcome).toBe("error");
      const failover = await authenticateLdapServers({
        servers: [{ ...server, name: "dead", port: silentPort, timeoutMs: 300 }, server],
        request: { username: "alice", password: Buffer.from(slapd.users.alice.password) },
      });
      expect(failover).toMatchObject({ outcome: "accept", server: "slapd" });
      const snapshotServer = { ...server, id: "s1", kind: "ldap" as const, accountingPort: null, retries: 0, position: 0 };
      const viaApplication = await authenticateApplicationLdap({
        application: { primaryAuthServers: [{ ...snapshotServer, kind: "radius" }, { ...snapshotServer, port: silentPort, timeoutMs: 300 }] },
        request: { username: "alice", password: Buffer.from(slapd.users.alice.password) },
      });
      expect(viaApplication.outcome).toBe("timeout"); // the RADIUS entry is not an LDAP server; the LDAP one is silent
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});
