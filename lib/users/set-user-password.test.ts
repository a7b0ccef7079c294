import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { radclient } from "../testing/radclient";
import { encryptSecret } from "../secrets/envelope";
import { startTestWorker } from "../testing/start-test-worker";
import { setUserPassword } from "./set-user-password";

// The user page's "local password" form, end to end: what the admin saves is what a real worker's local primary
// accepts over RADIUS (radclient as the ASA, password,code appended).
const SECRET = "local-password-nas";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let actor: TActor;
let userId = "";
// One authenticator per login: a code is single use per authenticator, so a reject below can only be the password.
const totps = Array.from({ length: 10 }, () => new Secret({ size: 20 }));

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local", factorEntry: "append" });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
  const admin = await db.prisma.admin.create({ data: { email: `pw-admin-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
  const user = await db.prisma.user.create({ data: { username: "carol" } });
  userId = user.id;
  await db.prisma.authenticator.createMany({ data: totps.map((secret, index) => ({ userId, kind: "totp" as const, name: `Phone ${index}`, secret: encryptSecret(secret.base32), active: true })) });
  worker = await startTestWorker({ databaseUrl: db.url });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

let next = 0;
const login = (password: string) => {
  const secret = totps[next++];
  if (!secret) throw new Error("add authenticators");
  return radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "carol", "User-Password": `${password},${TOTP.generate({ secret })}` }, timeoutSec: 5 });
};
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (AppError.is(error) ? error.fieldErrors : error));

describe("setUserPassword (user page) → local primary on a real worker", () => {
  it("set, reset, choose-at-enrollment and clear each take effect at the next RADIUS login, audited without the password", async () => {
    const first = "Fïrst local pw";
    await setUserPassword({ prisma: db.prisma, actor, userId, input: { mode: "set", password: first } });
    expect((await login(first)).code).toBe("Access-Accept");
    expect((await login("wrong password")).code).toBe("Access-Reject");

    const second = "second,with,commas";
    await db.prisma.user.update({ where: { id: userId }, data: { failedAttempts: 0 } });
    await setUserPassword({ prisma: db.prisma, actor, userId, input: { mode: "set", password: second } });
    expect((await login(first)).code).toBe("Access-Reject");
    expect((await login(second)).code).toBe("Access-Accept");

    await setUserPassword({ prisma: db.prisma, actor, userId, input: { mode: "choose_at_enrollment" } });
    expect(await db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordChoiceRequired: true } })).toEqual({ passwordChoiceRequired: true });
    expect((await login(second)).code).toBe("Access-Reject");
    await setUserPassword({ prisma: db.prisma, actor, userId, input: { mode: "set", password: second } });
    expect(await db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordChoiceRequired: true } })).toEqual({ passwordChoiceRequired: false });
    await setUserPassword({ prisma: db.prisma, actor, userId, input: { mode: "clear" } });
    expect((await login(second)).code).toBe("Access-Reject");

    const audit = await db.prisma.adminAuditEvent.findMany({ where: { targetId: userId }, orderBy: { createdAt: "asc" }, select: { action: true, before: true, after: true } });
    expect(audit.map((row) => row.action)).toEqual(["user.password_set", "user.password_set", "user.password_choose_at_enrollment", "user.password_set", "user.password_clear"]);
    expect(JSON.stringify(audit)).not.toMatch(/Fïrst|commas|argon2/);
  });

  it("refuses hostile passwords with field errors that never quote them, and an unknown user", async () => {
    const cases: [string, RegExp][] = [
      ["short", /at least 8/],
      ["x".repeat(129), /128 bytes/],
      ["ü".repeat(65), /128 bytes/],
      ["tab\there ok?", /control characters/],
      ["nul\u0000byte-pw", /control characters/],
      ["bad \uFFFD utf8", /invalid character/],
    ];
    for (const [password, message] of cases) {
      const errors = await failure(setUserPassword({ prisma: db.prisma, actor, userId, input: { mode: "set", password } }));
      expect(JSON.stringify(errors)).toMatch(message);
      expect(JSON.stringify(errors)).not.toContain(password);
    }
    expect(await failure(setUserPassword({ prisma: db.prisma, actor, userId, input: { mode: "nonsense" } }))).toHaveProperty("mode");
    await expect(setUserPassword({ prisma: db.prisma, actor, userId: randomUUID(), input: { mode: "clear" } })).rejects.toThrow(/no longer exists/);
  });
});
