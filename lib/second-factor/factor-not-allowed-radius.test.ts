import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { registerPushDevice } from "../push/register-push-device";
import { createTestDevice } from "../push/test-device";
import { radclient } from "../testing/radclient";
import { startWorkerPair } from "../testing/start-worker-pair";

// A user enrolled with a push device, through an application whose policy takes only passcodes: the password alone
// must earn neither an enrollment link (whoever has the password would enroll a TOTP of their own, valid on every
// application) nor the unenrolled user's accept. radclient as the ASA, the real worker, the AuthEvent table.
let pair: Awaited<ReturnType<typeof startWorkerPair>> | undefined;
let db: Awaited<ReturnType<typeof startWorkerPair>>["db"];
let workerA: Awaited<ReturnType<typeof startWorkerPair>>["workerA"];
let workerB: Awaited<ReturnType<typeof startWorkerPair>>["workerB"];
let applicationId = "";
const SECRET = "factor-not-allowed-secret";
const TOLD = "That second factor is not allowed or not set up for your account. This application accepts a passcode from an authenticator app or a passcode from a hardware token.";

beforeAll(async () => {
  pair = await startWorkerPair({ secret: SECRET, application: { primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "require_enrollment" }, worker: { enrollmentBaseUrl: "https://mfa.example" } });
  ({ db, workerA, workerB, applicationId } = pair);
});

afterAll(async () => {
  await pair?.stop();
});

const seedPushUser = async (password: string) => {
  const username = `fna-${randomBytes(4).toString("hex")}`;
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash(password) } });
  const device = await createTestDevice();
  await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk, subscription: null });
  return { username, userId: user.id };
};

const login = (username: string, password: string) =>
  radclient({ port: workerA.authPort, secret: SECRET, attributes: { "User-Name": username, "User-Password": password, "Calling-Station-Id": "203.0.113.9" }, timeoutSec: 5 });

const replyMessage = (result: Awaited<ReturnType<typeof radclient>>) => result.attributes.filter((a) => a.name === "Reply-Message").map((a) => a.value).join("");

const reasons = async (userId: string, count: number) =>
  (await waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { userId }, orderBy: [{ time: "asc" }, { id: "asc" }] });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 5000 }))?.map((row) => row.reason);

// Both workers serve the policy change (LISTEN/NOTIFY) before the next login.
const changePolicy = async (data: Parameters<typeof db.prisma.policy.update>[0]["data"]) => {
  const before = [workerA.configVersion(), workerB.configVersion()];
  await db.prisma.policy.update({ where: { applicationId }, data });
  const served = await waitFor(() => (workerA.configVersion() > (before[0] ?? 0) && workerB.configVersion() > (before[1] ?? 0) ? true : undefined), { timeoutMs: 5000 });
  expect(served).toBe(true);
};

describe("an enrolled user whose factors this application does not allow", () => {
  it("is offered their push device where the application allows push (the seeded device is a real one)", async () => {
    const user = await seedPushUser("fna-pw");
    const result = await login(user.username, "fna-pw");
    expect(result.code).toBe("Access-Challenge");
    expect(replyMessage(result)).toBe("1 for push to Pixel 8");
  });

  it("passcodes only: the password alone is refused factor_not_allowed under require_enrollment and allow_without_2fa, and no link is made", async () => {
    const user = await seedPushUser("fna-pw2");
    await changePolicy({ allowedFactors: ["totp", "hotp"], allowedFactorsInherit: false });
    try {
      const required = await login(user.username, "fna-pw2");
      expect(required.code).toBe("Access-Reject");
      expect(replyMessage(required)).toBe(TOLD);
      // Appended entry too: "push" names a factor this application does not take.
      expect((await login(user.username, "fna-pw2,push")).code).toBe("Access-Reject");
      await changePolicy({ newUserPolicy: "allow_without_2fa" });
      const allowed = await login(user.username, "fna-pw2");
      expect(allowed.code).toBe("Access-Reject");
      expect(replyMessage(allowed)).toBe(TOLD);
      expect(await reasons(user.userId, 3)).toEqual(["factor_not_allowed", "factor_not_allowed", "factor_not_allowed"]);
      expect(await db.prisma.enrollmentLink.count({ where: { userId: user.userId } })).toBe(0);
      expect(await db.prisma.authenticator.count({ where: { userId: user.userId } })).toBe(1);
    } finally {
      await changePolicy({ allowedFactors: [], allowedFactorsInherit: true, newUserPolicy: "require_enrollment" });
    }
  });
});
