import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { freePort } from "../testing/free-port";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { aclPagingPolicy } from "../testing/freeradius-acl-paging";
import { radclient, type TRadclientResult } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";

// A long downloadable ACL paged across two Twofold workers (an ASA failing over between them mid-download): the page's
// State is in PostgreSQL with the server that sent the page, so the worker that gets the next request — which never
// saw the ACL granted or paged — still sends it there, and not to the server first in order, which knows no such State.
const NAS_SECRET = "dacl-pages-nas-secret";
const BIG_ACL = "#ACSACL#-IP-PAGED-7c0ffee1";
const MARKERS = ['Cisco-AVPair = "aaa:service=ip_admission"', 'Cisco-AVPair = "aaa:event=acl-download"'];
const PAGE_STATE = `0x${Buffer.from("ise-node-2-page-2").toString("hex")}`;

const PAGING = aclPagingPolicy({
  aclName: BIG_ACL,
  state: PAGE_STATE,
  firstPage: ["ip:inacl#1=permit tcp any host 10.2.0.1 eq 443"],
  lastPage: ["ip:inacl#2=deny ip any any"],
});

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];
let paging: TFreeRadius;
let first: TFreeRadius | undefined;
let firstPorts: { authPort: number; acctPort: number };

const download = (port: number, rawAttributes: string[] = []) => radclient({ port, secret: NAS_SECRET, attributes: { "User-Name": BIG_ACL }, rawAttributes: [...MARKERS, ...rawAttributes], timeoutSec: 5 });
const avpairs = (reply: TRadclientResult) => reply.attributes.filter((attr) => attr.name === "Cisco-AVPair").map((attr) => attr.value);

beforeAll(async () => {
  db = await createIsolatedDatabase();
  paging = await startFreeRadius({ secret: "ise-2-secret", extraAuthorize: PAGING, users: [] });
  firstPorts = { authPort: await freePort(), acctPort: await freePort() };
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  // First in order: a server that knows no page State (another ISE node), silent until the first page is out.
  await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: firstPorts.authPort, secret: "ise-1-secret", position: 0, timeoutMs: 300 });
  await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: paging.authPort, secret: "ise-2-secret", position: 1, timeoutMs: 2000 });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: NAS_SECRET });
  workers = await Promise.all([startTestWorker({ databaseUrl: db.url, holdDownMs: 1 }), startTestWorker({ databaseUrl: db.url, holdDownMs: 1 })]);
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await paging?.stop();
  await first?.stop();
  await db?.drop();
});

describe("downloadable ACL pages across workers", () => {
  it("the next page goes to the server that sent the previous one, from a worker that never saw the ACL", async () => {
    const [a, b] = workers as [(typeof workers)[0], (typeof workers)[0]];
    const page1 = await download(a.authPort);
    expect(page1.code, page1.stdout).toBe("Access-Challenge");
    expect(avpairs(page1)).toEqual(["ip:inacl#1=permit tcp any host 10.2.0.1 eq 443"]);
    const state = page1.attributes.find((attr) => attr.name === "State")?.value ?? "";
    expect(state).toMatch(/^0x[0-9a-f]{40}$/);
    // Now the first server answers: asked for the next page, it would refuse (it knows neither the ACL nor the State).
    first = await startFreeRadius({ secret: "ise-1-secret", ports: firstPorts, users: [] });
    const page2 = await download(b.authPort, [`State = ${state}`]);
    expect(page2.code, page2.stdout).toBe("Access-Accept");
    expect(avpairs(page2)).toEqual(["ip:inacl#2=deny ip any any"]);
    expect(first.requestCount()).toBe(0);
  });
});
