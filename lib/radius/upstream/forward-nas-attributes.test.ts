import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../../worker/test-support/seed";
import { waitFor } from "../../../worker/test-support/wait-for";
import { eapolTest } from "../../testing/eapol-test";
import { startFreeRadius, type TFreeRadius } from "../../testing/freeradius";
import { mschapV2Attributes } from "../../testing/mschap-client";
import { radclient } from "../../testing/radclient";
import { startTestWorker } from "../../testing/start-test-worker";

// ISE policies match on what the ASA sends: NAS-Port-Type, Service-Type, NAS-Port, Framed-MTU, the tunnel group
// (vendor 3076 attribute 146), Cisco-AVPair audit-session-id. FreeRADIUS plays an ISE whose policy refuses a login
// without them — and one that got a second User-Name, NAS-IP-Address, State or credential, or the NAS's Proxy-State
// (what a careless copy of every attribute would send) — for a plain login, an MS-CHAPv2 one and PEAP.
const NAS_SECRET = "asa-forward-secret";
const UP_SECRET = "ise-forward-secret";
const SESSION = "audit-session-id=0a0b0c0d0000100065f1a2b3";
const TUNNEL_GROUP = "Corp-VPN";

const ISE_POLICY = `
		if (!&Proxy-State && !&User-Name[1] && !&NAS-IP-Address[1] && !&State[1] && !&User-Password[1] && !&MS-CHAP-Challenge[1] && !&MS-CHAP2-Response[1] && (&NAS-Port-Type == Virtual) && (&NAS-Port == 3000) && (&Service-Type == Login-User) && (&Framed-MTU == 1300) && (&ASA-TunnelGroupName == "${TUNNEL_GROUP}") && (&Cisco-AVPair[*] =~ /^audit-session-id=0a0b0c0d/)) {
			update reply {
				&Reply-Message := "seen %{NAS-Port-Type} %{ASA-TunnelGroupName} %{Cisco-AVPair[*]}"
			}
		}
		else {
			reject
		}`;

// The same facts as radclient writes them and as eapol_test's -N options (type:syntax:value; VSAs in hex).
const NAS_FACTS = [
  "NAS-Port-Type = Virtual",
  "NAS-Port = 3000",
  "Service-Type = Login-User",
  "Framed-MTU = 1300",
  `ASA-TunnelGroupName = "${TUNNEL_GROUP}"`,
  'Cisco-AVPair = "ip:source-ip=198.51.100.7"',
  `Cisco-AVPair = "${SESSION}"`,
  "NAS-IP-Address = 192.0.2.10",
  "Proxy-State = 0x6e61732d686f70", // the NAS's own hop: echoed back to it, never sent on
];
const vsa = (vendorId: number, type: number, value: string) => {
  const head = Buffer.alloc(6);
  head.writeUInt32BE(vendorId, 0);
  head[4] = type;
  head[5] = 2 + Buffer.byteLength(value);
  return `26:x:${Buffer.concat([head, Buffer.from(value)]).toString("hex")}`;
};
const EAPOL_FACTS = ["61:d:5", "5:d:3000", "6:d:1", "12:d:1300", vsa(3076, 146, TUNNEL_GROUP), vsa(9, 1, "ip:source-ip=198.51.100.7"), vsa(9, 1, SESSION)];

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let ise: TFreeRadius;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let applicationId = "";

const reasons = (count: number) =>
  waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { applicationId }, orderBy: { id: "asc" } });
    return rows.length >= count ? rows.map((row) => row.reason) : undefined;
  }, { timeoutMs: 5000 });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  ise = await startFreeRadius({ secret: UP_SECRET, mschap: {}, eap: true, extraAuthorize: ISE_POLICY, users: [{ username: "ivy", password: "ivy-pass", reply: ['Class := "OU=Engineering;"'] }] });
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  applicationId = application.id;
  await seedUpstream({ prisma: db.prisma, applicationId, port: ise.authPort, secret: UP_SECRET, position: 0, timeoutMs: 3000 });
  await seedClient({ prisma: db.prisma, applicationId, secret: NAS_SECRET });
  worker = await startTestWorker({ databaseUrl: db.url });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await ise?.stop();
  await db?.drop();
});

describe("the NAS's attributes reach the upstream", () => {
  it("a plain login: ISE sees the NAS's facts once each, and the NAS gets its Proxy-State back", async () => {
    const reply = await radclient({ port: worker.authPort, secret: NAS_SECRET, attributes: { "User-Name": "ivy", "User-Password": "ivy-pass" }, rawAttributes: NAS_FACTS, timeoutSec: 5 });
    expect(reply.code, reply.stdout + ise.output().slice(-3000)).toBe("Access-Accept");
    expect(reply.attributes.find((attr) => attr.name === "Reply-Message")?.value).toBe(`seen Virtual ${TUNNEL_GROUP} ip:source-ip=198.51.100.7,${SESSION}`);
    expect(reply.attributes.filter((attr) => attr.name === "Proxy-State").map((attr) => attr.value)).toEqual(["0x6e61732d686f70"]);
    // Without them the same ISE refuses: the policy above is what let the login in.
    const bare = await radclient({ port: worker.authPort, secret: NAS_SECRET, attributes: { "User-Name": "ivy", "User-Password": "ivy-pass" }, timeoutSec: 5 });
    expect(bare.code, bare.stdout).toBe("Access-Reject");
    expect(await reasons(2)).toEqual(["allow_unenrolled_user", "primary_reject"]);
  });

  it("MS-CHAPv2: the facts go with the relayed MS-CHAP attributes, which are not sent twice", async () => {
    const attempt = mschapV2Attributes({ userName: "ivy", password: "ivy-pass" });
    const [challenge, response] = attempt.attributes.map((attr) => `0x${attr.value.subarray(6).toString("hex")}`);
    const reply = await radclient({ port: worker.authPort, secret: NAS_SECRET, attributes: { "User-Name": "ivy", "MS-CHAP-Challenge": challenge!, "MS-CHAP2-Response": response! }, rawAttributes: NAS_FACTS, timeoutSec: 5 });
    expect(reply.code, reply.stdout + ise.output().slice(-3000)).toBe("Access-Accept");
    expect(reply.attributes.find((attr) => attr.name === "MS-CHAP2-Success")?.value).toContain(Buffer.from(attempt.expectedSuccess).toString("hex"));
  });

  it("PEAP: every round carries the facts, beside the EAP-Message relayed once", async () => {
    const result = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "ivy", password: "ivy-pass", extraAttributes: EAPOL_FACTS, timeoutSec: 20 });
    expect(result.accepted, result.output.slice(-4000) + ise.output().slice(-3000)).toBe(true);
    expect(result.mppeMatched).toBe(true);
    const bare = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "ivy", password: "ivy-pass", timeoutSec: 20 });
    expect(bare.accepted).toBe(false);
  });
});
