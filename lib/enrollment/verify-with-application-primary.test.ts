import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { encryptSecret } from "../secrets/envelope";
import { DEFAULT_FREERADIUS_USERS, startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { startSlapd, type TSlapd } from "../testing/slapd";
import { createApplicationPrimaryVerifier } from "./verify-with-application-primary";

// The enrollment page checks the password against the user's own application primary: a real FreeRADIUS (as ISE)
// and a real slapd (as AD), never a stand-in.
let upstream: TFreeRadius;
let slapd: TSlapd;
// Known to the upstream only, under a name no other test file logs in with (they share the database).
const steered = { username: `steer-${randomBytes(6).toString("hex")}`, password: "steer-pass" };
beforeAll(async () => {
  [upstream, slapd] = await Promise.all([startFreeRadius({ secret: "enroll-up", users: [...DEFAULT_FREERADIUS_USERS, steered] }), startSlapd()]);
});
afterAll(async () => {
  await upstream?.stop();
  await slapd?.stop();
  await disconnectPrisma();
});

const seedApp = async (mode: "radius" | "ldap") => {
  const application = await prisma.application.create({
    data: { name: `enroll-primary-${randomUUID()}`, ikey: randomBytes(10).toString("hex").toUpperCase(), skey: encryptSecret("s".repeat(40)), primaryAuthMode: mode },
  });
  if (mode === "radius") {
    await prisma.primaryAuthServer.create({ data: { name: "ise", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: upstream.authPort, secret: encryptSecret("enroll-up"), timeoutMs: 1000 } });
  } else {
    await prisma.primaryAuthServer.create({
      data: { name: "ad", kind: "ldap", applicationId: application.id, host: slapd.host, port: slapd.port, secret: encryptSecret(slapd.bindPassword), bindDn: slapd.bindDn, baseDn: slapd.baseDn, userFilter: "(uid={username})", tlsMode: "none", timeoutMs: 2000 },
    });
  }
  return application;
};

// Links the user to the application the way real logins do: through their latest AuthEvent.
const seedUserWithEvent = async (username: string, applicationId: string, usernameRaw = username) => {
  const user = await prisma.user.upsert({ where: { username }, create: { username }, update: {}, select: { id: true } });
  await prisma.authEvent.create({ data: { eventId: randomUUID(), usernameRaw, username, userId: user.id, applicationId, result: "failure", reason: "enrollment_required", workerId: "test" } });
  return user;
};

describe("createApplicationPrimaryVerifier", () => {
  it("checks the password with the application's upstream RADIUS", async () => {
    const application = await seedApp("radius");
    const user = await seedUserWithEvent("alice", application.id);
    const verify = createApplicationPrimaryVerifier({ prisma });
    expect(await verify({ userId: user.id, username: "alice", password: "alice-pass" })).toBe(true);
    expect(await verify({ userId: user.id, username: "alice", password: "wrong" })).toBe(false);
    expect(upstream.requestCount()).toBeGreaterThanOrEqual(2);
  });
  it("checks the password with the application's LDAP directory", async () => {
    const application = await seedApp("ldap");
    const user = await seedUserWithEvent("bob", application.id);
    const verify = createApplicationPrimaryVerifier({ prisma });
    expect(await verify({ userId: user.id, username: "bob", password: slapd.users.bob.password })).toBe(true);
    expect(await verify({ userId: user.id, username: "bob", password: "wrong" })).toBe(false);
  });
  it("is unavailable when the upstream does not answer", async () => {
    const application = await prisma.application.create({
      data: { name: `enroll-dead-${randomUUID()}`, ikey: randomBytes(10).toString("hex").toUpperCase(), skey: encryptSecret("s".repeat(40)), primaryAuthMode: "radius" },
    });
    await prisma.primaryAuthServer.create({ data: { name: "dead", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: 9, secret: encryptSecret("x"), timeoutMs: 200, retries: 0 } });
    const user = await seedUserWithEvent(`dead-${randomUUID()}`, application.id);
    expect(await createApplicationPrimaryVerifier({ prisma })({ userId: user.id, username: "x", password: "y" })).toBe("unavailable");
  });

  // Anyone can make the VPN log a rejected login under any name: the normalized typed name, no userId. Nor may an event
  // that never passed the primary (a pre-primary refusal logged with the account by an earlier version) decide.
  it("is not steered by later logins that the primary did not accept for the account", async () => {
    const [ise, ad] = [await seedApp("radius"), await seedApp("ldap")];
    const user = await seedUserWithEvent(steered.username, ise.id);
    const verify = () => createApplicationPrimaryVerifier({ prisma })({ userId: user.id, username: steered.username, password: steered.password });
    expect(await verify()).toBe(true);
    const logged = (data: { usernameRaw: string; applicationId: string; reason: string; userId?: string }) =>
      prisma.authEvent.create({ data: { eventId: randomUUID(), username: steered.username, userId: null, result: "failure", workerId: "test", ...data } });
    // The same application, a spelling the upstream takes for someone else (or no one): sent as is, it would fail.
    await logged({ usernameRaw: `bogus\\${steered.username}`, applicationId: ise.id, reason: "primary_reject" });
    expect(await verify()).toBe(true);
    // Another application, whose directory does not know the account.
    await logged({ usernameRaw: ` ${steered.username.toUpperCase()}`, applicationId: ad.id, reason: "primary_reject" });
    expect(await verify()).toBe(true);
    await logged({ usernameRaw: steered.username, applicationId: ad.id, reason: "locked_out", userId: user.id });
    expect(await verify()).toBe(true);
    // What moves the check is a login the primary accepted for the account: here through the directory, which does
    // not know this password.
    await prisma.authEvent.create({ data: { eventId: randomUUID(), usernameRaw: steered.username, username: steered.username, userId: user.id, applicationId: ad.id, result: "failure", reason: "enrollment_required", workerId: "test" } });
    expect(await verify()).toBe(false);
  });
});
