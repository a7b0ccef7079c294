import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { encodeNasBytes } from "../lib/radius/decode-nas-bytes";
import { readStoredText } from "../lib/auth-log/storable-text";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createUdpRadiusClient, textAttribute, type TUdpRadiusClient } from "../lib/testing/udp-radius-client";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

// Issue 9, item 4: no input stops the log. A NAS (anyone holding a client secret) sends NUL, invalid UTF-8 and
// 253-byte values in every attribute the log records; every event of every user must still reach AuthEvent.
const SECRET = "hostile-nas-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let auth: TUdpRadiusClient;
let acct: TUdpRadiusClient;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "none", newUserPolicy: "allow_without_2fa" });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
  worker = await startTestWorker({ databaseUrl: db.url, healthPort: 0 });
  auth = await createUdpRadiusClient({ port: worker.authPort, secret: SECRET });
  acct = await createUdpRadiusClient({ port: worker.acctPort, secret: SECRET });
});

afterAll(async () => {
  await auth?.close();
  await acct?.close();
  await worker?.stop();
  await db?.drop();
});

const HOSTILE: Buffer[] = [
  Buffer.from("nul\u0000inside", "utf8"),
  Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), // not UTF-8: stray bytes, a truncated pair, an encoded surrogate
  Buffer.from("\u001b[2J\u0007\u007f\u00c2\u009b", "latin1"), // terminal controls, a C1 CSI byte pair
  Buffer.alloc(253, 0x61), // the longest value an attribute can hold
  Buffer.alloc(253, 0x00),
  Buffer.alloc(253, 0xff),
];
const LOGGED = [Attr.UserName, Attr.CallingStationId, Attr.NasIdentifier, Attr.CalledStationId];
const nasIp = (n: number) => Buffer.from([10, 77, Math.floor(n / 256), n % 256]);

const count = async (table: "AuthEvent" | "AccountingEvent") => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>(`SELECT count(*) FROM "${table}"`)).rows[0]?.count);
  } finally {
    await client.end();
  }
};

it("logs every event of every user after NUL, invalid UTF-8 and 253-byte values in each logged attribute", { timeout: 90_000 }, async () => {
  let answered = 0;
  let n = 0;
  const hostileNames = new Map<string, Buffer>(); // NAS-IP-Address of the request → the User-Name bytes it sent
  const send = async (overrides: Map<number, Buffer>) => {
    n += 1;
    const values = new Map<number, Buffer>([
      [Attr.UserName, Buffer.from(`hostile-${n}`)],
      [Attr.CallingStationId, Buffer.from("203.0.113.5")],
      [Attr.NasIdentifier, Buffer.from("asa-1")],
      [Attr.CalledStationId, Buffer.from("vpn.example.com")],
      ...overrides,
    ]);
    const attributes = [...values].map(([type, value]) => textAttribute(type, value));
    if (overrides.has(Attr.UserName)) hostileNames.set(nasIp(n).join("."), overrides.get(Attr.UserName)!);
    const code = await auth.send({ attributes: [...attributes, { type: Attr.NasIpAddress, value: nasIp(n) }], password: "pw", retries: 1 });
    if (code !== undefined) answered += 1;
    return code;
  };

  for (const type of LOGGED) for (const value of HOSTILE) await send(new Map([[type, value]]));
  for (const value of HOSTILE) await send(new Map(LOGGED.map((type) => [type, value]))); // everything hostile at once
  const nulStation = n + 1;
  await send(new Map([[Attr.CallingStationId, Buffer.from("station\u0000id")]]));
  expect(answered).toBeGreaterThan(0);

  const normal = Array.from({ length: 100 }, (_value, index) => `normal-${index}`);
  for (let start = 0; start < normal.length; start += 10) {
    const codes = await Promise.all(
      normal.slice(start, start + 10).map((username) => auth.send({ attributes: [textAttribute(Attr.UserName, username), textAttribute(Attr.CallingStationId, "198.51.100.7")], password: "pw", retries: 2 })),
    );
    expect(codes.every((code) => code === RadiusCode.AccessAccept), JSON.stringify(codes)).toBe(true);
    answered += codes.length;
  }

  // Accounting too: the same values in User-Name and Acct-Session-Id, then ordinary records.
  let accounted = 0;
  for (const value of [...HOSTILE, Buffer.from("normal-session")]) {
    const code = await acct.send({
      code: RadiusCode.AccountingRequest,
      attributes: [textAttribute(Attr.UserName, value), textAttribute(Attr.AcctSessionId, value), { type: Attr.AcctStatusType, value: Buffer.from([0, 0, 0, 1]) }, { type: Attr.NasIpAddress, value: nasIp(0) }],
      retries: 1,
    });
    if (code === RadiusCode.AccountingResponse) accounted += 1;
  }
  expect(accounted).toBe(HOSTILE.length + 1);

  // A liveness bound, not a timing assertion: the writer inserts every 200 ms.
  const landed = await waitFor(async () => ((await count("AuthEvent")) >= answered && (await count("AccountingEvent")) >= accounted ? true : undefined), { timeoutMs: 15_000, intervalMs: 200 });
  expect({ landed, auth: await count("AuthEvent"), accounting: await count("AccountingEvent") }).toEqual({ landed: true, auth: answered, accounting: accounted });

  const normalRows = await db.prisma.authEvent.findMany({ where: { usernameRaw: { startsWith: "normal-" } }, select: { usernameRaw: true } });
  expect(normalRows.map((row) => row.usernameRaw).sort()).toEqual([...normal].sort());
  // Stored faithfully, visibly escaped.
  const station = await db.prisma.authEvent.findFirst({ where: { nasIp: `10.77.0.${nulStation}` }, select: { callingStationId: true } });
  expect(station?.callingStationId).toBe("station\\x00id");
  expect(readStoredText(station!.callingStationId!)).toBe("station\u0000id");
  // The User-Name as typed, byte for byte, whatever it held (the decision itself is the pipeline's: invalid_username).
  const hostileRows = await db.prisma.authEvent.findMany({ where: { nasIp: { in: [...hostileNames.keys()] } }, select: { nasIp: true, usernameRaw: true } });
  expect(hostileRows.length).toBeGreaterThan(0);
  for (const row of hostileRows) expect(encodeNasBytes(readStoredText(row.usernameRaw)).toString("hex"), row.nasIp!).toBe(hostileNames.get(row.nasIp!)!.toString("hex"));

  expect(worker.stats().authLog).toMatchObject({ spooling: false, quarantined: 0, lost: 0 });
  if (worker.healthPort !== undefined) {
    const health = JSON.stringify(await (await fetch(`http://127.0.0.1:${worker.healthPort}/health`)).json());
    expect(health).toContain('"spooling":false');
  }
});
