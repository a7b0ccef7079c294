import { cookies } from "next/headers";
import { prisma } from "@/lib/db";
import { createAdminSession } from "@/lib/auth/create-admin-session";
import type { TAdminSessionGrant } from "@/lib/auth/write-admin-session";
import { SESSION_COOKIE } from "@/lib/auth/session-policy";
import { isHttps, requestIp } from "./session";
import { headers } from "next/headers";

// The session cookie for a grant made in lib (lib/auth/sign-in-with-admin-code.ts writes the row with the code's spend).
export const setSessionCookie = async (grant: TAdminSessionGrant): Promise<void> => {
  (await cookies()).set(SESSION_COOKIE, grant.token, { httpOnly: true, sameSite: "lax", secure: await isHttps(), path: "/", expires: grant.expiresAt });
};

export const startSession = async (options: { adminId: string; mfaVerified: boolean }): Promise<void> => {
  const grant = await createAdminSession({
    prisma,
    adminId: options.adminId,
    mfaVerified: options.mfaVerified,
    ip: await requestIp(),
    userAgent: (await headers()).get("user-agent") ?? undefined,
  });
  await setSessionCookie(grant);
};
