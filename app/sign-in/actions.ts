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
import type { TFormState } from "@/components/forms/form-state";
import { formToObject } from "../_server/form-action";
import { startSession } from "../_server/session-cookie";
import { isHttps } from "../_server/session";

export async function signInAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await handleAction(async () => {
    const admin = await verifyAdminPassword({ prisma, input: formToObject(formData) });
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
    await verifyAdminSignInCode({ prisma, adminId, code: String(formData.get("code") ?? "") });
    store.delete({ name: PENDING_SIGN_IN_COOKIE, path: "/sign-in" });
    await startSession({ adminId, mfaVerified: true });
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  redirect("/");
}
