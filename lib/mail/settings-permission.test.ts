import { describe, expect, it } from "vitest";
import { roleHasPermission } from "../auth/permissions";

// The mail server is installation configuration: owner and admin change it, readonly may look, helpdesk neither.
describe("settings permissions", () => {
  it("lets owner and admin write, readonly read, and helpdesk do neither", () => {
    expect(roleHasPermission("owner", "settings:write")).toBe(true);
    expect(roleHasPermission("admin", "settings:write")).toBe(true);
    expect(roleHasPermission("readonly", "settings:write")).toBe(false);
    expect(roleHasPermission("readonly", "settings:read")).toBe(true);
    expect(roleHasPermission("helpdesk", "settings:read")).toBe(false);
    expect(roleHasPermission("helpdesk", "settings:write")).toBe(false);
    // Sending a user their enrollment link stays helpdesk work.
    expect(roleHasPermission("helpdesk", "users:enroll")).toBe(true);
  });
});
