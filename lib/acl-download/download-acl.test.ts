import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { normalizeUsername } from "../policy/normalize-username";
import { freePort } from "../testing/free-port";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { aclPagingPolicy } from "../testing/freeradius-acl-paging";
import { radclient, type TRadclientResult } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";

// Downloadable ACLs end to end: radclient as the ASA, FreeRADIUS as ISE answering the ACL download (users-file entries
// matched on the markers, an unlang policy paging a long ACL), a second FreeRADIUS that does not know the ACLs.
const NAS_SECRET = "dacl-nas-secret";
const WEB_ACL = "#ACSACL#-IP-PERMIT_WEB-5f1a2b3c";
const LOOKALIKE = "#ACSACL#-IP-LOOKALIKE-1";
const BIG_ACL = "#ACSACL#-IP-BIG-65b4e84b";
const GRANTED = "#ACSACL#-IP-GRANTED-1";
const UNGRANTED = "#ACSACL#-IP-UNGRANTED-1";
const MARKERS = ['Cisco-AVPair = "aaa:service=ip_admission"', 'Cisco-AVPair = "aaa:event=acl-download"'];
const ON_DOWNLOAD = ['Cisco-AVPair == "aaa:event=acl-download"', "Auth-Type := Accept"];
const PAGE_STATE = `0x${Buffer.from("ise-page-2").toString("hex")}`;

const PAGING = aclPagingPolicy({
  aclName: BIG_ACL,
  state: PAGE_STATE,
  firstPage: ["ip:inacl#1=permit tcp any host 10.1.0.1 eq 443", "ip:inacl#2=permit tcp any host 10.1.0.2 eq 443"],
  lastPage: ["ip:inacl#3=deny ip any any"],
});

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let ise: TFreeRadius;
let other: TFreeRadius | undefined;
let otherPorts: { authPort: number; acctPort: number };
let applicationId: string;

const send = (attributes: Record<string, string>, rawAttributes: string[] = []) =>
  radclient({ port: worker.authPort, secret: NAS_SECRET, attributes, rawAttributes, timeoutSec: 5 });
const download = (name: string, rawAttributes: string[] = []) => send({ "User-Name": name }, [...MARKERS, ...rawAttributes, "NAS-IP-Address = 192.0.2.1"]);
const avpairs = (reply: TRadclientResult) => reply.attributes.filter((attr) => attr.name === "Cisco-AVPair").map((attr) => attr.value);
// The auth log reaches PostgreSQL shortly after the answer (journaled first): wait for the rows.
const eventsFor = (username: string, count: number) =>
  waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { applicationId, username }, orderBy: { id: "asc" } });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 5000 });
const lastEvent = async (username: string) => (await eventsFor(username, 1))?.at(-1);

beforeAll(async () => {
  db = await createIsolatedDatabase();
  ise = await startFreeRadius({
    secret: "ise-secret",
    extraAuthorize: PAGING,
    users: [
      { username: "alice", password: "alice-pass", reply: [`Cisco-AVPair += "ACS:CiscoSecure-Defined-ACL=${GRANTED}"`, 'Class := "OU=Engineering;"'] },
      {
        username: WEB_ACL,
        password: "",
        check: ON_DOWNLOAD,
        // What ISE must not get through to the NAS on an ACL download: anything but the entries.
        reply: ['Cisco-AVPair += "ip:inacl#1=permit tcp any host 10.0.0.10 eq 443"', 'Cisco-AVPair += "ipv6:inacl#1=permit ipv6 any any"', 'Cisco-AVPair += "shell:priv-lvl=15"', 'Class := "OU=Admins;"', "Session-Timeout := 60"],
      },
      { username: LOOKALIKE, password: "", check: ON_DOWNLOAD, reply: ['Cisco-AVPair += "ip:inacl#1=deny ip any any"'] },
      // The same name as an ordinary account with a password: a login without the markers reaches this entry.
      { username: LOOKALIKE, password: "look-pass", reply: ['Class := "OU=Lookalike;"'] },
      { username: GRANTED, password: "", check: ON_DOWNLOAD, reply: ['Cisco-AVPair += "ip:inacl#1=permit ip any host 10.9.9.9"'] },
      { username: UNGRANTED, password: "", check: ON_DOWNLOAD, reply: ['Cisco-AVPair += "ip:inacl#1=permit ip any host 10.8.8.8"'] },
    ],
  });
  otherPorts = { authPort: await freePort(), acctPort: await freePort() };
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  applicationId = application.id;
  // First in order: a server that knows none of the ACLs, silent until the last test starts it.
  await seedUpstream({ prisma: db.prisma, applicationId, port: otherPorts.authPort, secret: "other-secret", position: 0, timeoutMs: 300 });
  await seedUpstream({ prisma: db.prisma, applicationId, port: ise.authPort, secret: "ise-secret", position: 1, timeoutMs: 2000 });
  await seedClient({ prisma: db.prisma, applicationId, secret: NAS_SECRET });
  // The look-alike name belongs to a disabled Twofold user: an ordinary login for it is refused, a download is not one.
  await db.prisma.user.create({ data: { username: normalizeUsername({ username: LOOKALIKE, mode: "none" }), status: "disabled", failedAttempts: 3 } });
  worker = await startTestWorker({ databaseUrl: db.url, holdDownMs: 1 });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await ise?.stop();
  await other?.stop();
  await db?.drop();
});

describe("downloadable ACLs (ASA → Twofold → ISE)", () => {
  it("relays the download with no second factor and passes back only the ACL entries", async () => {
    const reply = await download(WEB_ACL);
    expect(reply.code, reply.stdout + reply.stderr).toBe("Access-Accept");
    expect(reply.attributes[0]?.name).toBe("Message-Authenticator");
    expect(avpairs(reply)).toEqual(["ip:inacl#1=permit tcp any host 10.0.0.10 eq 443", "ipv6:inacl#1=permit ipv6 any any"]);
    expect(reply.attributes.map((attr) => attr.name).sort()).toEqual(["Cisco-AVPair", "Cisco-AVPair", "Message-Authenticator"]);
    const event = await lastEvent(WEB_ACL);
    expect(event).toMatchObject({ reason: "acl_download", result: "success", userId: null, factor: null, nasIp: "192.0.2.1" });
    // No Twofold user came of it.
    expect(await db.prisma.user.count({ where: { username: { equals: WEB_ACL, mode: "insensitive" } } })).toBe(0);
  });

  it("a request that only looks like a download is an ordinary login through the whole pipeline", async () => {
    const lookalike = normalizeUsername({ username: LOOKALIKE, mode: "none" });
    const noMarkers = await send({ "User-Name": LOOKALIKE, "User-Password": "look-pass" });
    expect(noMarkers.code, noMarkers.stdout).toBe("Access-Reject");
    expect((await lastEvent(lookalike))?.reason).toBe("user_disabled");
    const oneMarker = await send({ "User-Name": LOOKALIKE, "User-Password": "look-pass" }, ['Cisco-AVPair = "aaa:event=acl-download"']);
    expect(oneMarker.code, oneMarker.stdout).toBe("Access-Reject");
    expect((await eventsFor(lookalike, 2))?.map((row) => row.reason)).toEqual(["user_disabled", "user_disabled"]);
    // With every marker the same name is a download: the disabled user is neither consulted nor touched.
    const real = await download(LOOKALIKE);
    expect(real.code, real.stdout).toBe("Access-Accept");
    expect(avpairs(real)).toEqual(["ip:inacl#1=deny ip any any"]);
    expect(await lastEvent(LOOKALIKE)).toMatchObject({ reason: "acl_download", userId: null });
    expect(await db.prisma.user.findUnique({ where: { username: lookalike } })).toMatchObject({ status: "disabled", failedAttempts: 3 });
  });

  it("pages a long ACL: Access-Challenge with Twofold's bound State, the upstream's State swapped back in, single use", async () => {
    const first = await download(BIG_ACL);
    expect(first.code, first.stdout).toBe("Access-Challenge");
    expect(avpairs(first)).toEqual(["ip:inacl#1=permit tcp any host 10.1.0.1 eq 443", "ip:inacl#2=permit tcp any host 10.1.0.2 eq 443"]);
    const state = first.attributes.find((attr) => attr.name === "State")?.value ?? "";
    expect(state).toMatch(/^0x[0-9a-f]{40}$/); // Twofold's own (tag + 16 random bytes), not ISE's "ise-page-2"
    expect(state).not.toBe(PAGE_STATE);
    // Bound to the ACL's name: another name cannot spend it (and spends it trying, like every State).
    const wrongName = await download(WEB_ACL, [`State = ${state}`]);
    expect(wrongName.code).toBe("Access-Reject");
    const again = await download(BIG_ACL);
    const nextState = again.attributes.find((attr) => attr.name === "State")?.value ?? "";
    const last = await download(BIG_ACL, [`State = ${nextState}`]);
    expect(last.code, last.stdout).toBe("Access-Accept");
    expect(avpairs(last)).toEqual(["ip:inacl#3=deny ip any any"]);
    const replayed = await download(BIG_ACL, [`State = ${nextState}`]);
    expect(replayed.code).toBe("Access-Reject");
    expect((await eventsFor(BIG_ACL, 4))?.map((row) => row.result)).toEqual(["success", "success", "success", "failure"]);
  });

  it("asks the upstream that granted the ACL, though another comes first in order", async () => {
    // alice logs in while the first server is silent: the second grants her the ACL, and Twofold remembers which.
    const login = await send({ "User-Name": "alice", "User-Password": "alice-pass" });
    expect(login.code, login.stdout).toBe("Access-Accept");
    expect(avpairs(login)).toContain(`ACS:CiscoSecure-Defined-ACL=${GRANTED}`);
    other = await startFreeRadius({ secret: "other-secret", ports: otherPorts, users: [] });
    const granted = await download(GRANTED);
    expect(granted.code, granted.stdout).toBe("Access-Accept");
    expect(avpairs(granted)).toEqual(["ip:inacl#1=permit ip any host 10.9.9.9"]);
    // An ACL nobody granted goes to the servers in order: the first, which answers and does not know it, decides.
    const ungranted = await download(UNGRANTED);
    expect(ungranted.code, ungranted.stdout).toBe("Access-Reject");
    expect(other.requestCount()).toBe(1);
    expect(await lastEvent(UNGRANTED)).toMatchObject({ reason: "acl_download", result: "failure" });
  });
});
