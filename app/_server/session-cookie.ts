import { cookies } from "next/headers";
import { prisma } from "@/lib/db";
import { createAdminSession } from "@/lib/auth/create-admin-session";
import { SESSION_COOKIE } from "@/lib/auth/session-policy";
import { isHttps, requestIp } from "./session";
import { headers } from "next/headers";

export const startSession = async (options: { adminId: string; mfaVerified: boolean }): Promise<void> => {
  const { token, expiresAt } = await createAdminSession({
    prisma,
    adminId: options.adminId,
    mfaVerified: options.mfaVerified,
    ip: await requestIp(),
    userAgent: (await headers()).get("user-agent") ?? undefined,
  });
  (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: await isHttps(), path: "/", expires: expiresAt });
};
