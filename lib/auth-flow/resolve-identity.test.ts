import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { encryptSecret } from "../secrets/envelope";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { RadiusCode } from "../radius/constants";
import { radclient } from "../testing/radclient";
import { sendAccessRequests } from "../testing/send-access-requests";
import { startSlapd, type TSlapd } from "../testing/slapd";
import { startTestWorker } from "../testing/start-test-worker";
import { ZUsernameSchema } from "../users/schema";
import { resolveIdentity } from "./resolve-identity";

// Property 1 of "no login without its second factor": the factor checked belongs to the account the primary
// accepted. Real slapd and FreeRADIUS (as ISE) accept many spellings of one account; every one of them must land on
// the enrolled Twofold user, never on a new, unenrolled one.
const SECRET = "identity-nas-secret";
type TSetup = { db: Awaited<ReturnType<typeof createIsolatedDatabase>>; worker: Awaited<ReturnType<typeof startTestWorker>>; applicationId: string };
let slapd: TSlapd;
let upstream: TFreeRadius;
let ldap: TSetup;
let radius: TSetup;
const totp = new Secret({ size: 20 });

const setup = async (options: { mode: "ldap" | "radius"; newUserPolicy: "allow_without_2fa" | "require_enrollment" }): Promise<TSetup> => {
  const db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: options.mode, factorEntry: "append", newUserPolicy: options.newUserPolicy });
  // The weakest setting an admin can choose: no domain stripping. The account still has to be found.
  await db.prisma.policy.update({ where: { applicationId: application.id }, data: { usernameNormalization: "none" } });
  if (options.mode === "ldap") {
    await db.prisma.primaryAuthServer.create({
      data: {
        name: "slapd", kind: "ldap", applicationId: application.id, host: "127.0.0.1", port: slapd.port, secret: encryptSecret(slapd.bindPassword),
        bindDn: slapd.bindDn, baseDn: slapd.baseDn, userFilter: "(|(uid={username})(mail={username}))", timeoutMs: 3000,
      },
    });
  } else {
    await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: upstream.authPort, secret: "ise-secret", position: 0, timeoutMs: 2000 });
  }
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
  const user = await db.prisma.user.create({ data: { username: "alice" } });
  await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Pixel", secret: encryptSecret(totp.base32), active: true } });
  const worker = await startTestWorker({ databaseUrl: db.url, enrollmentBaseUrl: "https://mfa.example" });
  return { db, worker, applicationId: application.id };
};

beforeAll(async () => {
  slapd = await startSlapd();
  upstream = await startFreeRadius({
    secret: "ise-secret",
    users: [
      // ISE authenticates a UPN-style alias and names the account it found in its Access-Accept.
      { username: "alice@corp.example", password: "alice-pass", reply: ['User-Name := "alice"', 'Class := "OU=Engineering;"'] },
      { username: "alice", password: "alice-pass", reply: ['Class := "OU=Engineering;"'] },
      // A Greek account the directory names in lower case, with the medial sigma a directory may store at the end.
      { username: "nikos", password: "nikos-pass", reply: ['User-Name := "νικοσ"'] },
    ],
  });
  [ldap, radius] = await Promise.all([setup({ mode: "ldap", newUserPolicy: "require_enrollment" }), setup({ mode: "radius", newUserPolicy: "allow_without_2fa" })]);
}, 90_000);

afterAll(async () => {
  for (const each of [ldap, radius]) {
    await each?.worker.stop();
    await each?.db.drop();
  }
  await slapd?.stop();
  await upstream?.stop();
});

const login = (target: TSetup, userName: string, password: string) =>
  radclient({ port: target.worker.authPort, secret: SECRET, attributes: { "User-Name": userName, "User-Password": password }, timeoutSec: 5 });

const eventsFor = async (target: TSetup, count: number) =>
  waitFor(async () => {
    const rows = await target.db.prisma.authEvent.findMany({ where: { applicationId: target.applicationId }, orderBy: [{ time: "asc" }, { id: "asc" }] });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 8000 });

describe("the second factor belongs to the account the primary accepted", () => {
  it("LDAP: case, Unicode width, whitespace and mail aliases of uid=alice all need alice's code, and none enrolls anyone", async () => {
    const aliases = ["ＡＬＩＣＥ", "ａｌｉｃｅ", "Alice", " alice\u3000", "alice@twofold.test", "ALICE@TWOFOLD.TEST"];
    for (const alias of aliases) {
      const attempt = await login(ldap, alias, slapd.users.alice.password);
      expect(attempt.code, `${alias}: ${attempt.stdout}`).toBe("Access-Reject");
      expect(attempt.stdout).not.toMatch(/enroll/i);
    }
    const withCode = await login(ldap, "ALICE@twofold.test", `${slapd.users.alice.password},${TOTP.generate({ secret: totp })}`);
    expect(withCode.code, withCode.stdout).toBe("Access-Accept");
    const alice = await ldap.db.prisma.user.findUniqueOrThrow({ where: { username: "alice" } });
    const rows = await eventsFor(ldap, aliases.length + 1);
    expect(rows?.map((row) => [row.usernameRaw, row.username, row.userId])).toEqual([...aliases, "ALICE@twofold.test"].map((alias) => [alias, "alice", alice.id]));
    expect(rows?.at(-1)?.reason).toBe("valid_passcode");
    // Not one alias became a user of its own, and no enrollment link was handed out.
    expect(await ldap.db.prisma.user.count()).toBe(1);
    expect(await ldap.db.prisma.enrollmentLink.count()).toBe(0);
  });

  it("RADIUS: the User-Name in ISE's Access-Accept names the account, whatever the NAS typed", async () => {
    const aliased = await login(radius, "alice@corp.example", "alice-pass");
    expect(aliased.code, aliased.stdout).toBe("Access-Reject");
    const withCode = await login(radius, "alice@corp.example", `alice-pass,${TOTP.generate({ secret: totp })}`);
    expect(withCode.code, withCode.stdout).toBe("Access-Accept");
    const rows = await eventsFor(radius, 2);
    expect(rows?.map((row) => [row.usernameRaw, row.username, row.reason])).toEqual([
      ["alice@corp.example", "alice", "factor_required"], // append mode, nothing appended
      ["alice@corp.example", "alice", "valid_passcode"],
    ]);
    expect(await radius.db.prisma.user.count()).toBe(1);
  });

  it("RADIUS: a name that only case folding matches to the enrolled account still needs that account's code", async () => {
    // Created in the console as "ΝΙΚΟΣ". Lower-casing stored "νικος" (final sigma) and took ISE's "νικοσ" for a new,
    // unenrolled user: with "allow access without 2FA" that was an Accept on the password alone.
    const user = await radius.db.prisma.user.create({ data: { username: ZUsernameSchema.parse("ΝΙΚΟΣ") } });
    const secret = new Secret({ size: 20 });
    await radius.db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Pixel", secret: encryptSecret(secret.base32), active: true } });
    const passwordOnly = await login(radius, "nikos", "nikos-pass");
    expect(passwordOnly.code, passwordOnly.stdout).toBe("Access-Reject");
    const withCode = await login(radius, "nikos", `nikos-pass,${TOTP.generate({ secret })}`);
    expect(withCode.code, withCode.stdout).toBe("Access-Accept");
    const rows = await waitFor(async () => {
      const found = await radius.db.prisma.authEvent.findMany({ where: { usernameRaw: "nikos" }, orderBy: { id: "asc" } });
      return found.length >= 2 ? found : undefined;
    }, { timeoutMs: 8000 });
    expect(rows?.map((row) => [row.username, row.userId, row.reason])).toEqual([
      ["νικοσ", user.id, "factor_required"],
      ["νικοσ", user.id, "valid_passcode"],
    ]);
    expect(await radius.db.prisma.user.count({ where: { username: { startsWith: "νικο" } } })).toBe(1);
  });

  it("refuses control characters and invalid UTF-8 in User-Name before the primary, with its own reason", async () => {
    const names = ["616c69636500", "616c696365ff", "61096c696365", "616c69e2808b6365", "c0af"];
    const codes = await sendAccessRequests({ secret: SECRET, requests: names.map((hex) => ({ port: ldap.worker.authPort, username: Buffer.from(hex, "hex"), password: slapd.users.alice.password })) });
    expect(codes).toEqual(names.map(() => RadiusCode.AccessReject));
    const rows = (await eventsFor(ldap, 7 + names.length))?.slice(-names.length);
    expect(rows?.map((row) => [row.reason, row.primaryMs, row.userId])).toEqual(names.map(() => ["invalid_username", null, null]));
    expect(rows?.map((row) => row.usernameRaw).sort()).toEqual(["\\xc0\\xaf", "a\\x09lice", "alice\\x00", "alice\\xff", "ali\u200bce"]);
  });

  it("refuses invisible characters in User-Name before the primary: variation selectors, Hangul fillers, separators", async () => {
    // alice + U+FE0F, U+E0101 between the letters, Hangul filler U+3164 and its halfwidth U+FFA0, U+2028, a tag letter.
    const names = ["alice\uFE0F", "ali\u{E0101}ce", "\u3164alice", "alice\uFFA0", "ali\u2028ce", "alice\u{E0041}"];
    const codes = await sendAccessRequests({ secret: SECRET, requests: names.map((name) => ({ port: ldap.worker.authPort, username: Buffer.from(name), password: slapd.users.alice.password })) });
    expect(codes).toEqual(names.map(() => RadiusCode.AccessReject));
    const rows = await waitFor(async () => {
      const found = await ldap.db.prisma.authEvent.findMany({ where: { usernameRaw: { in: names } } });
      return found.length >= names.length ? found : undefined;
    }, { timeoutMs: 8000 });
    expect(rows?.map((row) => [row.reason, row.primaryMs, row.userId])).toEqual(names.map(() => ["invalid_username", null, null]));
    expect(await ldap.db.prisma.user.count()).toBe(1);
  });
});

describe("resolveIdentity", () => {
  it("takes the primary's name for the account through the same normalization, and refuses an unusable one", () => {
    expect(resolveIdentity({ typed: "ａｌｉｃｅ", primaryIdentity: "Alice", mode: "none" })).toEqual({ ok: true, username: "alice" });
    expect(resolveIdentity({ typed: "corp\\alice", primaryIdentity: "CORP\\Alice", mode: "strip_domain" })).toEqual({ ok: true, username: "alice" });
    expect(resolveIdentity({ typed: "bob", mode: "none" })).toEqual({ ok: true, username: "bob" });
    expect(resolveIdentity({ typed: "bob", primaryIdentity: "bo\u0000b", mode: "none" }).ok).toBe(false);
    expect(resolveIdentity({ typed: "bob", primaryIdentity: "   ", mode: "none" }).ok).toBe(false);
  });
});
