"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { prisma } from "@/lib/db";
import { handleAction } from "@/lib/api/handle-action";
import { verifyAdminPassword } from "@/lib/auth/verify-admin-password";
import { signInWithAdminCode } from "@/lib/auth/sign-in-with-admin-code";
import { changeTemporaryPassword } from "@/lib/auth/change-temporary-password";
import { createKnownDeviceToken, KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_TTL_MS, readKnownDevice } from "@/lib/auth/known-device";
import { createPendingSignIn, readPendingSignIn } from "@/lib/auth/pending-sign-in";
import { PENDING_SIGN_IN_COOKIE } from "@/lib/auth/session-policy";
import { throttleSignInStep, type TSignInSource } from "@/lib/auth/throttle-sign-in-step";
import { AppError } from "@/lib/errors/app-error";
import type { TFormState } from "@/components/forms/form-state";
import { formToObject } from "../_server/form-action";
import { setSessionCookie, startSession } from "../_server/session-cookie";
import { isHttps, requestIp } from "../_server/session";

// The temporary-password step has its own ticket namespace, so its ticket can never stand in for "password OK".
const CHANGE_PREFIX = "change:";
const PENDING_CHANGE_COOKIE = "twofold_pending_change";

const signInSource = async (): Promise<TSignInSource> => ({
  ip: await requestIp(),
  knownDevice: readKnownDevice({ token: (await cookies()).get(KNOWN_DEVICE_COOKIE)?.value }),
});

const setTicket = async (name: string, value: string) =>
  (await cookies()).set(name, value, { httpOnly: true, sameSite: "lax", secure: await isHttps(), path: "/sign-in", maxAge: 300 });

// After the password: the temporary one must be replaced first; then the code, or (no TOTP yet) a session that can
// only enroll one.
const nextStep = async (admin: { adminId: string; totpEnabled: boolean }): Promise<string> => {
  if (!admin.totpEnabled) {
    await startSession({ adminId: admin.adminId, mfaVerified: false });
    return "/";
  }
  await setTicket(PENDING_SIGN_IN_COOKIE, createPendingSignIn({ adminId: admin.adminId }));
  return "/sign-in/code";
};

export async function signInAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const source = await signInSource();
  const result = await handleAction(async () => {
    const account = { step: "password" as const, email: String(formData.get("email") ?? "") };
    const admin = await throttleSignInStep({ prisma, account, source, run: () => verifyAdminPassword({ prisma, input: formToObject(formData) }) });
    if (admin.mustChangePassword) {
      await setTicket(PENDING_CHANGE_COOKIE, createPendingSignIn({ adminId: `${CHANGE_PREFIX}${admin.adminId}` }));
      return "/sign-in/change-password";
    }
    return nextStep(admin);
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  redirect(result.data);
}

export async function changeTemporaryPasswordAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const store = await cookies();
  const result = await handleAction(async () => {
    const ticket = readPendingSignIn({ ticket: store.get(PENDING_CHANGE_COOKIE)?.value });
    if (!ticket?.startsWith(CHANGE_PREFIX)) throw new AppError("UNAUTHORIZED", "The sign-in took too long; enter your email and the temporary password again");
    const adminId = ticket.slice(CHANGE_PREFIX.length);
    const changed = await changeTemporaryPassword({ prisma, adminId, input: formToObject(formData) });
    store.delete({ name: PENDING_CHANGE_COOKIE, path: "/sign-in" });
    return nextStep({ adminId, totpEnabled: changed.totpEnabled });
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  redirect(result.data);
}

export async function signInCodeAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const store = await cookies();
  const source = await signInSource();
  const result = await handleAction(async () => {
    const adminId = readPendingSignIn({ ticket: store.get(PENDING_SIGN_IN_COOKIE)?.value });
    if (!adminId) throw new AppError("UNAUTHORIZED", "The sign-in took too long; enter your email and password again");
    const code = String(formData.get("code") ?? "");
    const userAgent = (await headers()).get("user-agent") ?? undefined;
    // The session is written with the code's step spent (a replayed code is refused as a wrong one, and counted so).
    const grant = await throttleSignInStep({ prisma, account: { step: "code", adminId }, source, run: () => signInWithAdminCode({ prisma, adminId, code, ip: source.ip, userAgent }) });
    store.delete({ name: PENDING_SIGN_IN_COOKIE, path: "/sign-in" });
    // This browser now has a throttle budget of its own for this admin (see lib/auth/throttle-sign-in-step.ts).
    const device = source.knownDevice?.adminId === adminId ? source.knownDevice.deviceId : undefined;
    store.set(KNOWN_DEVICE_COOKIE, createKnownDeviceToken({ adminId, deviceId: device }), {
      httpOnly: true, sameSite: "lax", secure: await isHttps(), path: "/sign-in", maxAge: KNOWN_DEVICE_TTL_MS / 1000,
    });
    await setSessionCookie(grant);
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  redirect("/");
}
