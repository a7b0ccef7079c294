import { AppError } from "../errors/app-error";
import { permissionChangesState, roleHasPermission, type TPermission } from "./permissions";
import type { TAdminSession } from "./types";

// Throws instead of returning a boolean so no caller can forget to check the answer.
export const requirePermission = (session: TAdminSession | undefined, permission: TPermission): TAdminSession => {
  if (!session) throw new AppError("UNAUTHORIZED", "Sign in first");
  if (!roleHasPermission(session.role, permission)) {
    throw new AppError("FORBIDDEN", `Forbidden: your role (${session.role}) does not allow ${permission}`);
  }
  if (permissionChangesState(permission) && !session.mfaVerified) {
    throw new AppError("MFA_REQUIRED", "Set up and verify your authenticator app (Account → Two-factor) before changing configuration");
  }
  return session;
};
