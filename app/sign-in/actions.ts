"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { prisma } from "@/lib/db";
import { handleAction } from "@/lib/api/handle-action";
import { verifyAdminPassword } from "@/lib/auth/verify-admin-password";
import { verifyAdminSignInCode } from "@/lib/auth/admin-totp-enrollment";
import { createPendingSignIn, readPendingSignIn } from "@/lib/auth/pending-sign-in";
import { PENDING_SIGN_IN_COOKIE } from "@/lib/auth/session-policy";
import { AppError } from "@/lib/errors/app-error";
import { clearSignInFailures, isSignInThrottled, recordSignInFailure } from "@/lib/auth/sign-in-throttle";
import type { TFormState } from "@/components/forms/form-state";
import { formToObject } from "../_server/form-action";
import { startSession } from "../_server/session-cookie";
import { isHttps, requestIp } from "../_server/session";

// No address (a bare `next start`, see lib/net/peer-address-header.ts) means no per-address key: one shared "unknown"
// key would let anyone throttle every sign-in.
const throttleKeys = async (email: string) => {
  const ip = await requestIp();
  return [`email:${email.trim().toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];
};

// Failed attempts count against both the account and the source address; success clears the account's count.
const throttled = async <T>(keys: string[], run: () => Promise<T>): Promise<T> => {
  if (isSignInThrottled({ keys })) throw new AppError("RATE_LIMITED", "Too many failed attempts; wait 15 minutes and try again");
  try {
    const result = await run();
    clearSignInFailures({ keys: keys.filter((key) => key.startsWith("email:")) });
    return result;
  } catch (error) {
    if (AppError.is(error) && (error.code === "UNAUTHORIZED" || error.code === "VALIDATION")) recordSignInFailure({ keys });
    throw error;
  }
};

export async function signInAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const keys = await throttleKeys(String(formData.get("email") ?? ""));
  const result = await handleAction(async () => {
    const admin = await throttled(keys, () => verifyAdminPassword({ prisma, input: formToObject(formData) }));
    if (!admin.totpEnabled) {
      await startSession({ adminId: admin.adminId, mfaVerified: false });
      return "/";
    }
    (await cookies()).set(PENDING_SIGN_IN_COOKIE, createPendingSignIn({ adminId: admin.adminId }), {
      httpOnly: true, sameSite: "lax", secure: await isHttps(), path: "/sign-in", maxAge: 300,
    });
    return "/sign-in/code";
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  redirect(result.data);
}

export async function signInCodeAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const store = await cookies();
  const result = await handleAction(async () => {
    const adminId = readPendingSignIn({ ticket: store.get(PENDING_SIGN_IN_COOKIE)?.value });
    if (!adminId) throw new AppError("UNAUTHORIZED", "The sign-in took too long; enter your email and password again");
    await throttled(await throttleKeys(`admin:${adminId}`), () => verifyAdminSignInCode({ prisma, adminId, code: String(formData.get("code") ?? "") }));
    store.delete({ name: PENDING_SIGN_IN_COOKIE, path: "/sign-in" });
    await startSession({ adminId, mfaVerified: true });
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  redirect("/");
}
