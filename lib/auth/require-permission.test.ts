import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { requirePermission } from "./require-permission";
import type { TAdminSession } from "./types";

const session = (overrides: Partial<TAdminSession>): TAdminSession => ({
  sessionId: "s", adminId: "a", email: "a@example.test", name: "", role: "admin", mfaVerified: true, totpEnabled: true, ...overrides,
});

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return AppError.is(error) ? error.code : "not-app-error";
  }
};

describe("requirePermission", () => {
  it("lets helpdesk unlock users but forbids policy changes", () => {
    expect(codeOf(() => requirePermission(session({ role: "helpdesk" }), "users:unlock"))).toBeUndefined();
    expect(codeOf(() => requirePermission(session({ role: "helpdesk" }), "policy:write"))).toBe("FORBIDDEN");
    expect(codeOf(() => requirePermission(session({ role: "helpdesk" }), "applications:read"))).toBe("FORBIDDEN");
  });

  it("gives readonly every read and no write; only the owner manages admins", () => {
    expect(codeOf(() => requirePermission(session({ role: "readonly" }), "audit:read"))).toBeUndefined();
    expect(codeOf(() => requirePermission(session({ role: "readonly" }), "radius_clients:write"))).toBe("FORBIDDEN");
    expect(codeOf(() => requirePermission(session({ role: "admin" }), "admins:write"))).toBe("FORBIDDEN");
    expect(codeOf(() => requirePermission(session({ role: "owner" }), "admins:write"))).toBeUndefined();
  });

  it("requires the admin's own second factor before any change, and a session at all", () => {
    expect(codeOf(() => requirePermission(session({ role: "owner", mfaVerified: false }), "policy:write"))).toBe("MFA_REQUIRED");
    expect(codeOf(() => requirePermission(session({ role: "owner", mfaVerified: false }), "policy:read"))).toBeUndefined();
    expect(codeOf(() => requirePermission(undefined, "policy:read"))).toBe("UNAUTHORIZED");
  });
});
