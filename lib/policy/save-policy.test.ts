import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { createApplication } from "../applications/create-application";
import { deleteApplication } from "../applications/delete-application";
import { withUncheckedBoxes } from "./policy-form-schema";
import { savePolicy, deletePolicyOverride } from "./save-policy";

// What the console's form posts when every field says "inherit".
const INHERIT_ALL = withUncheckedBoxes({
  newUserPolicy: "inherit", usernameNormalization: "inherit", failMode: "inherit", lockoutThreshold: "", autoUnlockMinutes: "", challengeTimeoutSec: "",
  maxChallengeAttempts: "", pushTimeoutSec: "", pushRateLimitPerHour: "", verifiedPush: "inherit", whenNothingTyped: "inherit", authorizedNetworks: "",
});
import { describeOverride } from "./describe-override";

let actor: TActor;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `pol-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

describe("policies", () => {
  it("saves an application override where 'inherit' becomes null, and describes what it changes", async () => {
    const app = await createApplication({ prisma, actor, input: { name: `vpn-${randomUUID()}`, kind: "radius", primaryAuthMode: "none", factorEntry: "both", appendDelimiter: "," } });
    const versionBefore = (await prisma.configVersion.findUniqueOrThrow({ where: { id: 1 } })).version;
    await savePolicy({
      prisma, actor, applicationId: app.id,
      input: { ...INHERIT_ALL, newUserPolicy: "allow_without_2fa", allowedFactorsInherit: "on", authorizedNetworksInherit: "false", authorizedNetworks: "10.1.0.0/16\n192.0.2.1" },
    });
    const row = await prisma.policy.findUniqueOrThrow({ where: { applicationId: app.id } });
    expect(row.newUserPolicy).toBe("allow_without_2fa");
    expect(row.usernameNormalization).toBeNull();
    expect(row.lockoutThreshold).toBeNull();
    expect(row.authorizedNetworks).toEqual(["10.1.0.0/16", "192.0.2.1"]);
    expect(describeOverride(row)).toEqual(["New-user policy: allow_without_2fa", "Authorized networks: 10.1.0.0/16, 192.0.2.1"]);
    expect((await prisma.configVersion.findUniqueOrThrow({ where: { id: 1 } })).version).toBeGreaterThan(versionBefore);

    const error = await savePolicy({ prisma, actor, applicationId: app.id, input: { ...INHERIT_ALL, lockoutThreshold: "-1", authorizedNetworks: "10.0.0.1/8" } }).catch((caught: unknown) => caught);
    expect(AppError.is(error) && Object.keys(error.fieldErrors ?? {}).sort()).toEqual(["authorizedNetworks", "lockoutThreshold"]);
    expect((await prisma.policy.findUniqueOrThrow({ where: { applicationId: app.id } })).newUserPolicy).toBe("allow_without_2fa");

    await deletePolicyOverride({ prisma, actor, applicationId: app.id });
    expect(await prisma.policy.findUnique({ where: { applicationId: app.id } })).toBeNull();
    await deleteApplication({ prisma, actor, id: app.id });
  });

  it("a whole-policy write refuses a missing field instead of nulling it; a patch changes only what it sends", async () => {
    const app = await createApplication({ prisma, actor, input: { name: `vpn-${randomUUID()}`, kind: "radius", primaryAuthMode: "none", factorEntry: "both", appendDelimiter: "," } });
    await savePolicy({ prisma, actor, applicationId: app.id, input: { ...INHERIT_ALL, usernameNormalization: "strip_domain", lockoutThreshold: "7" } });
    const error = await savePolicy({ prisma, actor, applicationId: app.id, input: { newUserPolicy: "deny" } }).catch((caught: unknown) => caught);
    expect(AppError.is(error) && Object.keys(error.fieldErrors ?? {})).toContain("usernameNormalization");
    expect(await prisma.policy.findUniqueOrThrow({ where: { applicationId: app.id } })).toMatchObject({ newUserPolicy: null, usernameNormalization: "strip_domain", lockoutThreshold: 7 });
    await savePolicy({ prisma, actor, applicationId: app.id, input: { newUserPolicy: "deny" }, mode: "patch" });
    expect(await prisma.policy.findUniqueOrThrow({ where: { applicationId: app.id } })).toMatchObject({ newUserPolicy: "deny", usernameNormalization: "strip_domain", lockoutThreshold: 7 });
    // An explicit null in a patch is an explicit "inherit".
    await savePolicy({ prisma, actor, applicationId: app.id, input: { lockoutThreshold: null }, mode: "patch" });
    expect(await prisma.policy.findUniqueOrThrow({ where: { applicationId: app.id } })).toMatchObject({ newUserPolicy: "deny", usernameNormalization: "strip_domain", lockoutThreshold: null });
    const empty = await savePolicy({ prisma, actor, applicationId: app.id, input: {}, mode: "patch" }).catch((caught: unknown) => caught);
    expect(AppError.is(empty)).toBe(true);
    await deleteApplication({ prisma, actor, id: app.id });
  });
});
