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

describe("sign-in throttle", () => {
  it("refuses after repeated failures for a key, for one window, and success clears it", async () => {
    const { clearSignInFailures, isSignInThrottled, recordSignInFailure } = await import("./sign-in-throttle");
    const keys = [`email:${Math.random()}@example.test`];
    const now = Date.now();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      expect(isSignInThrottled({ keys, now })).toBe(false);
      recordSignInFailure({ keys, now });
    }
    expect(isSignInThrottled({ keys, now })).toBe(true);
    expect(isSignInThrottled({ keys, now: now + 16 * 60 * 1000 })).toBe(false);
    clearSignInFailures({ keys });
    expect(isSignInThrottled({ keys, now })).toBe(false);
  });
});
