import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { waitFor } from "../../worker/test-support/wait-for";
import { recordHeartbeat } from "../workers/record-heartbeat";
import { findReachableAddresses } from "../workers/find-reachable-addresses";
import { ASA_ADDRESS_PLACEHOLDER, buildAsaSnippet } from "./build-asa-snippet";
import { listAsaTargets } from "./list-asa-targets";

describe("buildAsaSnippet", () => {
  it("says mschapv2-capable, with password management, only when the application relays MS-CHAPv2 upstream", () => {
    const relaying = buildAsaSnippet({ applicationName: "VPN", workerAddresses: ["10.0.0.5", "10.0.0.6"], relaysMschapv2: true });
    expect(relaying.match(/^ mschapv2-capable$/gm)).toHaveLength(2);
    expect(relaying).not.toContain("no mschapv2-capable");
    expect(relaying).toContain(" authentication-server-group TWOFOLD-VPN\n password-management\n");
    const local = buildAsaSnippet({ applicationName: "VPN", workerAddresses: ["10.0.0.5"] });
    expect(local.match(/^ no mschapv2-capable$/gm)).toHaveLength(1);
    expect(local).not.toContain("password-management");
  });

  it("uses each worker's real ports, dynamic-authorization with the NAS's CoA port, and the accounting server group", () => {
    const snippet = buildAsaSnippet({ applicationName: "Corp VPN", hosts: [{ address: "192.0.2.10", authPort: 11812, acctPort: 11813 }, { address: "192.0.2.11", authPort: 1812, acctPort: 1813 }], coaPort: 3799 });
    expect(snippet).toContain("aaa-server TWOFOLD-CORP-VPN protocol radius\n dynamic-authorization port 3799\n");
    expect(snippet).toContain("aaa-server TWOFOLD-CORP-VPN (inside) host 192.0.2.10\n timeout 60\n key *****\n authentication-port 11812\n accounting-port 11813\n");
    expect(snippet).toContain("host 192.0.2.11\n timeout 60\n key *****\n authentication-port 1812\n accounting-port 1813\n");
    expect(snippet).toContain(" accounting-server-group TWOFOLD-CORP-VPN\n");
    expect(snippet).not.toContain("0.0.0.0");
    expect(snippet).not.toContain("authorization-server-group");
    // Default CoA port is the ASA's own default.
    expect(buildAsaSnippet({ applicationName: "x", workerAddresses: ["192.0.2.1"] })).toContain(" dynamic-authorization port 1700\n");
  });

  it("no known worker address: a placeholder the ASA will refuse, never 0.0.0.0", () => {
    const snippet = buildAsaSnippet({ applicationName: "VPN", hosts: [] });
    expect(snippet).toContain(`host ${ASA_ADDRESS_PLACEHOLDER}\n`);
    expect(snippet).not.toMatch(/0\.0\.0\.0/);
  });

  it("split: authentication by Twofold, authorization by ISE (authorize-only), accounting still through Twofold", () => {
    const snippet = buildAsaSnippet({ applicationName: "VPN", workerAddresses: ["192.0.2.10"], relaysMschapv2: true, splitAuthorization: { servers: [{ host: "198.51.100.20", port: 1812 }, { host: "198.51.100.21", port: 1645 }] } });
    expect(snippet).toContain("aaa-server ISE-VPN protocol radius\n authorize-only\n");
    expect(snippet).toContain("aaa-server ISE-VPN (inside) host 198.51.100.21\n timeout 10\n key *****\n authentication-port 1645\n");
    expect(snippet).toMatch(/tunnel-group AnyConnect-Group general-attributes\n authentication-server-group TWOFOLD-VPN\n password-management\n authorization-server-group ISE-VPN\n accounting-server-group TWOFOLD-VPN\n/);
    expect(buildAsaSnippet({ applicationName: "VPN", splitAuthorization: { servers: [] } })).toContain("host <ISE-PSN-ADDRESS>");
  });

  it("hostile application names make a valid group name", () => {
    for (const name of ["VPN\r\naaa-server EVIL", "ＶＰＮ", "  ", "a\u0000b", "x".repeat(300)]) {
      const snippet = buildAsaSnippet({ applicationName: name, workerAddresses: ["192.0.2.1"] });
      expect(snippet.split("\n")[0]).toMatch(/^aaa-server TWOFOLD-[A-Z0-9_-]+ protocol radius$/);
      expect(snippet.split("\n").filter((line) => line.startsWith("aaa-server ")).every((line) => /^aaa-server TWOFOLD-[A-Z0-9_-]+ (protocol|\(inside\))/.test(line))).toBe(true);
    }
  });
});

describe("findReachableAddresses", () => {
  const interfaces = {
    lo: [{ address: "127.0.0.1", family: "IPv4", internal: true, netmask: "255.0.0.0", mac: "", cidr: null }],
    eth0: [
      { address: "10.1.2.3", family: "IPv4", internal: false, netmask: "255.255.255.0", mac: "", cidr: null },
      { address: "fe80::1", family: "IPv6", internal: false, netmask: "ffff:ffff:ffff:ffff::", mac: "", cidr: null, scopeid: 2 },
      { address: "2001:db8::5", family: "IPv6", internal: false, netmask: "ffff:ffff:ffff:ffff::", mac: "", cidr: null, scopeid: 0 },
    ],
  } as const satisfies NodeJS.Dict<import("node:os").NetworkInterfaceInfo[]>;
  it("a wildcard bind reports the interfaces (IPv6 only for ::, never link-local), a specific bind itself, loopback nothing", () => {
    const dict = interfaces as unknown as NodeJS.Dict<import("node:os").NetworkInterfaceInfo[]>;
    expect(findReachableAddresses({ host: "0.0.0.0", interfaces: dict })).toEqual(["10.1.2.3"]);
    expect(findReachableAddresses({ host: "::", interfaces: dict })).toEqual(["10.1.2.3", "2001:db8::5"]);
    expect(findReachableAddresses({ host: "192.0.2.7", interfaces: dict })).toEqual(["192.0.2.7"]);
    expect(findReachableAddresses({ host: "127.0.0.1", interfaces: dict })).toEqual([]);
    expect(findReachableAddresses({ host: "not an address", interfaces: dict })).toEqual([]);
  });
});

describe("listAsaTargets", () => {
  let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  beforeAll(async () => {
    db = await createIsolatedDatabase();
  }, 60_000);
  afterAll(async () => db?.drop());

  const beat = async (options: { id: string; authPort: number; acctPort: number; reachableAddresses: string[]; ageMs?: number }) => {
    await recordHeartbeat({ prisma: db.prisma, workerId: options.id, hostname: "h", address: `0.0.0.0:${options.authPort}`, configVersion: 0, startedAt: new Date(), now: new Date(Date.now() - (options.ageMs ?? 0)) });
    await db.prisma.workerStatus.update({ where: { id: options.id }, data: { authPort: options.authPort, acctPort: options.acctPort, reachableAddresses: options.reachableAddresses } });
  };

  it("none known: no hosts and says so; the workers' heartbeats: their addresses and real ports, one block per host, stale workers forgotten; TWOFOLD_WORKER_ADDRESSES wins", async () => {
    const empty = await listAsaTargets({ prisma: db.prisma });
    expect(empty.hosts).toEqual([]);
    expect(empty.notes.join(" ")).toMatch(/TWOFOLD_WORKER_ADDRESSES/);
    const tag = randomBytes(2).toString("hex");
    await beat({ id: `vm1-${tag}#0`, authPort: 11812, acctPort: 11813, reachableAddresses: ["10.0.0.5"] });
    await beat({ id: `vm1-${tag}#1`, authPort: 11812, acctPort: 11813, reachableAddresses: ["10.0.0.5"] });
    await beat({ id: `vm2-${tag}`, authPort: 1812, acctPort: 1813, reachableAddresses: ["10.0.0.6", "172.16.0.6"] });
    await beat({ id: `old-${tag}`, authPort: 1812, acctPort: 1813, reachableAddresses: ["10.9.9.9"], ageMs: 3 * 24 * 3600_000 });
    const seen = await listAsaTargets({ prisma: db.prisma });
    expect(seen.source).toBe("workers");
    expect(seen.hosts).toEqual([
      { address: "10.0.0.5", authPort: 11812, acctPort: 11813 },
      { address: "10.0.0.6", authPort: 1812, acctPort: 1813 },
      { address: "172.16.0.6", authPort: 1812, acctPort: 1813 },
    ]);
    expect(seen.notes.join(" ")).toMatch(/several addresses \(10\.0\.0\.6, 172\.16\.0\.6\)/);
    const configured = await listAsaTargets({ prisma: db.prisma, configured: " vpn-a.example , 10.0.0.7,bad address;x , " });
    expect(configured.hosts.map((host) => host.address)).toEqual(["vpn-a.example", "10.0.0.7"]);
    expect(configured.notes.join(" ")).toMatch(/bad address;x/);
    // The workers disagree on ports: the defaults, and a note saying to set them by hand.
    expect(configured.hosts[0]).toMatchObject({ authPort: 1812, acctPort: 1813 });
    expect(configured.notes.join(" ")).toMatch(/different ports/);
  });

  it("a real worker bound to loopback reports its ports and no reachable address", async () => {
    const { startTestWorker } = await import("../testing/start-test-worker");
    const worker = await startTestWorker({ databaseUrl: db.url });
    try {
      const row = await waitFor(async () => (await db.prisma.workerStatus.findUnique({ where: { id: worker.workerId } })) ?? undefined, { timeoutMs: 10_000 });
      expect(row).toMatchObject({ authPort: worker.authPort, acctPort: worker.acctPort, reachableAddresses: [] });
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
