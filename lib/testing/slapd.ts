import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { killOnExit, stopChild } from "./kill-on-exit";

// A throwaway OpenLDAP slapd (Debian's binary, its own slapd.conf, data dir, ports and self-signed certificate) seeded
// with a small directory: a service account, people, groups (groupOfNames) including a nested group, and the
// memberof overlay so users carry memberOf like in AD. The Debian slapd service, if running, is never touched.

export type TSlapdUser = { username: string; password: string; dn: string };

export type TSlapd = {
  url: string; // ldap://127.0.0.1:PORT (StartTLS available)
  ldapsUrl: string; // ldaps://127.0.0.1:PORT
  host: string;
  port: number;
  ldapsPort: number;
  caCert: string; // PEM of the self-signed server certificate, to trust it in TLS tests
  baseDn: string;
  peopleDn: string;
  groupsDn: string;
  bindDn: string; // service account
  bindPassword: string;
  rootDn: string; // the directory manager, for tests that change the directory (directory sync)
  rootPassword: string;
  users: Record<"alice" | "bob" | "carol" | "eve", TSlapdUser>;
  stop: () => Promise<void>;
};

const BASE = "dc=twofold,dc=test";
const PEOPLE = `ou=people,${BASE}`;
const GROUPS = `ou=groups,${BASE}`;
const ROOT_DN = `cn=root,${BASE}`;
const SERVICE_DN = `cn=twofold-svc,ou=services,${BASE}`;

const USERS = {
  alice: { username: "alice", password: "Alice-Pass1", dn: `uid=alice,${PEOPLE}` },
  bob: { username: "bob", password: "Bob-Pass1", dn: `uid=bob,${PEOPLE}` },
  carol: { username: "carol", password: "c,a\\rol wörd", dn: `uid=carol,${PEOPLE}` },
  eve: { username: "eve", password: "Eve-Pass1", dn: `uid=eve,${PEOPLE}` },
};

const b64 = (value: string) => Buffer.from(value, "utf8").toString("base64");

const person = (user: TSlapdUser, cn: string) => `dn: ${user.dn}
objectClass: inetOrgPerson
uid: ${user.username}
cn: ${cn}
sn: ${cn.split(" ").at(-1)}
mail: ${user.username}@twofold.test
userPassword:: ${b64(user.password)}
`;

const group = (name: string, members: string[]) => `dn: cn=${name},${GROUPS}
objectClass: groupOfNames
cn: ${name}
${members.map((member) => `member: ${member}`).join("\n")}
`;

// People first, then groups: the memberof overlay writes memberOf on members as each group is added.
const seed = (servicePassword: string) =>
  [
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: twofold\no: Twofold Test\n`,
    `dn: ou=people,${BASE}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${BASE}\nobjectClass: organizationalUnit\nou: groups\n`,
    `dn: ou=services,${BASE}\nobjectClass: organizationalUnit\nou: services\n`,
    `dn: ${SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: twofold-svc\nuserPassword:: ${b64(servicePassword)}\n`,
    person(USERS.alice, "Alice Anders"),
    person(USERS.bob, "Bob Berg"),
    person(USERS.carol, "Carol Chen"),
    person(USERS.eve, "Eve Evans"),
    group("engineering", [USERS.alice.dn, USERS.carol.dn]),
    group("sales", [USERS.bob.dn]),
    // Nested: vpn-users contains engineering, so carol is a member of vpn-users only through engineering.
    group("vpn-users", [USERS.bob.dn, `cn=engineering,${GROUPS}`]),
  ].join("\n");

// AD's userAccountControl under its own OID, on an auxiliary class: lets a test disable an account as AD does.
const AD_ACCOUNT_SCHEMA = `attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.32473.1.2.1 NAME 'twofoldAdAccount' AUXILIARY MAY userAccountControl )
`;

const slapdConf = (dir: string, rootPassword: string) => `
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
include ${dir}/ad-account.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
TLSCertificateFile ${dir}/server.crt
TLSCertificateKeyFile ${dir}/server.key
database mdb
maxsize 104857600
suffix "${BASE}"
rootdn "${ROOT_DN}"
rootpw ${rootPassword}
directory ${dir}/data
index objectClass,uid,member eq
# As AD does: one search answers at most 500 entries, a paged search (RFC 2696) reads any number page by page.
limits users size.soft=500 size.hard=500 size.prtotal=unlimited
overlay memberof
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`;

const waitForPort = async (port: number, timeoutMs: number, output: () => string) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => socket.end(() => resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`slapd did not listen within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export const startSlapd = async (): Promise<TSlapd> => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-slapd-"));
  mkdirSync(path.join(dir, "data"));
  const [port, ldapsPort] = [await freePort(), await freePort()];
  const rootPassword = "root-secret";
  const bindPassword = "svc-Secret1";
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout", path.join(dir, "server.key"), "-out", path.join(dir, "server.crt"),
  ], { stdio: "ignore" });
  writeFileSync(path.join(dir, "ad-account.schema"), AD_ACCOUNT_SCHEMA);
  writeFileSync(path.join(dir, "slapd.conf"), slapdConf(dir, rootPassword));
  writeFileSync(path.join(dir, "seed.ldif"), seed(bindPassword));

  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  let output = "";
  // -d 0: stay in the foreground (so stop() owns the process) without debug chatter.
  const child = spawn("/usr/sbin/slapd", ["-d", "0", "-f", path.join(dir, "slapd.conf"), "-h", `${url}/ ${ldapsUrl}/`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 30_000, () => output);
    execFileSync("ldapadd", ["-x", "-H", url, "-D", ROOT_DN, "-w", rootPassword, "-f", path.join(dir, "seed.ldif")], { stdio: "pipe" });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    ldapsUrl,
    host: "127.0.0.1",
    port,
    ldapsPort,
    caCert: readFileSync(path.join(dir, "server.crt"), "utf8"),
    baseDn: BASE,
    peopleDn: PEOPLE,
    groupsDn: GROUPS,
    bindDn: SERVICE_DN,
    bindPassword,
    rootDn: ROOT_DN,
    rootPassword,
    users: USERS,
    stop,
  };
};
