import type { AdminRole } from "../db/generated/enums";

export type TAdminSession = {
  sessionId: string;
  adminId: string;
  email: string;
  name: string;
  role: AdminRole;
  mfaVerified: boolean;
  totpEnabled: boolean;
};

// No adminId: a change made outside any admin session (the `twofold` CLI, audited as actor "cli").
export type TActor = { adminId?: string; email: string; ip?: string };

export const actorOf = (session: TAdminSession, ip?: string): TActor => ({ adminId: session.adminId, email: session.email, ip });
