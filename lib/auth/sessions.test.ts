import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { hashToken } from "../crypto/tokens";
import { createSetupTokenIfNoAdmin } from "../admins/create-setup-token";
import { AppError } from "../errors/app-error";
import { createAdminSession } from "./create-admin-session";
import { resolveAdminSession } from "./resolve-admin-session";
import { deleteAdminSession } from "./delete-admin-session";
import { createPendingSignIn, readPendingSignIn } from "./pending-sign-in";
import { hashPassword, verifyPassword } from "./password";
import { verifyAdminTotp } from "./admin-totp";
import { createOwner } from "./create-owner";
import { SESSION_IDLE_MS, SESSION_TTL_MS } from "./session-policy";

afterAll(disconnectPrisma);

const newAdmin = () => prisma.admin.create({ data: { email: `s-${randomUUID()}@example.test`, passwordHash: "x", role: "readonly" } });

describe("admin sessions", () => {
  it("stores only the token's hash, resolves it, and sign-out deletes the row", async () => {
    const admin = await newAdmin();
    const { token } = await createAdminSession({ prisma, adminId: admin.id, mfaVerified: true });
    expect(await prisma.adminSession.count({ where: { tokenHash: token } })).toBe(0);
    expect(await prisma.adminSession.count({ where: { tokenHash: hashToken(token) } })).toBe(1);
    expect(await resolveAdminSession({ prisma, token })).toMatchObject({ adminId: admin.id, role: "readonly", mfaVerified: true });
    await deleteAdminSession({ prisma, token });
    expect(await resolveAdminSession({ prisma, token })).toBeUndefined();
    await prisma.admin.delete({ where: { id: admin.id } });
  });

  it("ends sessions that are idle, expired, or belong to a disabled admin", async () => {
    const admin = await newAdmin();
    const now = new Date();
    const idle = await createAdminSession({ prisma, adminId: admin.id, mfaVerified: true, now });
    expect(await resolveAdminSession({ prisma, token: idle.token, now: new Date(now.getTime() + SESSION_IDLE_MS + 1000) })).toBeUndefined();
    const old = await createAdminSession({ prisma, adminId: admin.id, mfaVerified: true, now: new Date(now.getTime() - SESSION_TTL_MS - 1000) });
    await prisma.adminSession.update({ where: { tokenHash: hashToken(old.token) }, data: { lastSeenAt: now } });
    expect(await resolveAdminSession({ prisma, token: old.token, now })).toBeUndefined();
    const live = await createAdminSession({ prisma, adminId: admin.id, mfaVerified: true, now });
    await prisma.admin.update({ where: { id: admin.id }, data: { disabled: true } });
    expect(await resolveAdminSession({ prisma, token: live.token, now })).toBeUndefined();
    expect(await prisma.adminSession.count({ where: { adminId: admin.id } })).toBe(0);
    await prisma.admin.delete({ where: { id: admin.id } });
  });

  it("signs the password-passed ticket and rejects tampering and expiry", () => {
    const ticket = createPendingSignIn({ adminId: "a1" });
    expect(readPendingSignIn({ ticket })).toBe("a1");
    expect(readPendingSignIn({ ticket: ticket.replace("a1", "a2") })).toBeUndefined();
    expect(readPendingSignIn({ ticket, now: new Date(Date.now() + 6 * 60_000) })).toBeUndefined();
  });

  it("hashes passwords with argon2id and checks admin TOTP codes", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword({ passwordHash: stored, password: "correct horse battery" })).toBe(true);
    expect(await verifyPassword({ passwordHash: stored, password: "wrong" })).toBe(false);
    const secret = new Secret({ size: 20 }).base32;
    const now = new Date();
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: now.getTime() });
    const step = Math.floor(now.getTime() / 30_000);
    // The matched step, the phone's clock one step either way included (the replay guard spends exactly that step).
    expect(verifyAdminTotp({ secret, code, now })).toBe(step);
    expect(verifyAdminTotp({ secret, code, now: new Date(now.getTime() + 30_000) })).toBe(step);
    expect(verifyAdminTotp({ secret, code, now: new Date(now.getTime() - 30_000) })).toBe(step);
    expect(verifyAdminTotp({ secret, code, now: new Date(now.getTime() + 60_000) })).toBeUndefined();
    expect(verifyAdminTotp({ secret, code: code === "000000" ? "111111" : "000000", now })).toBeUndefined();
  });

  it("issues no setup link once an admin exists, and refuses an unknown setup token", async () => {
    // The happy path (one owner, link single-use) runs in e2e/owner-setup.setup.ts against an empty database; here
    // other files share the database, so only the refusals are checked.
    const admin = await newAdmin();
    expect(await createSetupTokenIfNoAdmin({ prisma })).toBeUndefined();
    const error = await createOwner({ prisma, token: "made-up", input: { email: "x@example.test", password: "long enough password" } }).catch((caught: unknown) => caught);
    expect(AppError.is(error) && error.code).toBe("FORBIDDEN");
    const short = await createOwner({ prisma, token: "made-up", input: { email: "x@example.test", password: "short" } }).catch((caught: unknown) => caught);
    expect(AppError.is(short) && short.fieldErrors?.password?.[0]).toMatch(/at least 12/);
    await prisma.admin.delete({ where: { id: admin.id } });
  });
});
