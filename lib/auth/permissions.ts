import type { AdminRole } from "../db/generated/enums";

export const PERMISSIONS = [
  "dashboard:read",
  "users:read",
  "users:write",
  "users:unlock",
  "users:bypass",
  "users:enroll",
  "users:disconnect", // end a user's live NAS session (RFC 5176 Disconnect-Request)
  "groups:read",
  "groups:write",
  "applications:read",
  "applications:write",
  "policy:read",
  "policy:write",
  "radius_clients:read",
  "radius_clients:write",
  "primary_auth:read",
  "primary_auth:write",
  "authlog:read",
  "admins:read",
  "admins:write",
  "audit:read",
  "settings:read", // installation settings (the mail server); helpdesk has neither
  "settings:write",
] as const;

export type TPermission = (typeof PERMISSIONS)[number];

const READ = PERMISSIONS.filter((permission) => permission.endsWith(":read"));

// The one place roles are defined; every action and route asks requirePermission, never the role name.
export const ROLE_PERMISSIONS: Record<AdminRole, ReadonlySet<TPermission>> = {
  owner: new Set(PERMISSIONS),
  admin: new Set(PERMISSIONS.filter((permission) => permission !== "admins:write")),
  helpdesk: new Set<TPermission>(["dashboard:read", "users:read", "authlog:read", "users:unlock", "users:bypass", "users:enroll", "users:disconnect"]),
  readonly: new Set(READ),
};

export const roleHasPermission = (role: AdminRole, permission: TPermission): boolean => ROLE_PERMISSIONS[role].has(permission);

// Anything that is not a plain read changes state and needs the admin's own second factor first.
export const permissionChangesState = (permission: TPermission): boolean => !permission.endsWith(":read");
