"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { disconnectSession } from "@/lib/coa/disconnect-session";
import { saveUser } from "@/lib/users/save-user";
import { deleteUser, removeAuthenticator, unlockUser } from "@/lib/users/user-actions";
import { importUsersCsv } from "@/lib/users/import-users-csv";
import { issueBypassCodes } from "@/lib/users/issue-bypass-codes";
import { ZBypassCodeFormSchema } from "@/lib/factors/generate-bypass-codes";
import { parseInput } from "@/lib/api/parse-input";
import { issueEnrollmentLink } from "@/lib/users/issue-enrollment-link";
import { setUserPassword } from "@/lib/users/set-user-password";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../_server/form-action";
import { readCsvUpload } from "../../_server/read-csv-upload";

// The Disconnect's wait LISTENs on a connection of its own (lib/coa/listen-disconnect-results.ts).
const databaseUrl = (): string => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  return url;
};

export async function createUserAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("users:write", ({ actor }) => saveUser({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok || !result.data) return outcome(result);
  redirect(`/users/${result.data.id}`);
}

export async function updateUserAction(id: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("users:write", ({ actor }) => saveUser({ prisma, actor, id, input: formToObject(formData) }));
  if (result.ok) revalidatePath(`/users/${id}`);
  return outcome(result);
}

export async function unlockUserAction(id: string): Promise<TFormState> {
  const result = await adminFormAction("users:unlock", ({ actor }) => unlockUser({ prisma, actor, id }));
  if (result.ok) revalidatePath(`/users/${id}`);
  // Unlock lifts only a lockout: a user disabled meanwhile stays disabled, and is not told "unlocked".
  const message = result.data?.after === "active" && result.data.before === "locked_out" ? "User unlocked." : "Failed attempts reset.";
  return { ...outcome(result), message: result.ok ? message : undefined };
}

export async function deleteUserAction(id: string): Promise<TFormState> {
  const result = await adminFormAction("users:write", ({ actor }) => deleteUser({ prisma, actor, id }));
  if (!result.ok) return outcome(result);
  redirect("/users");
}

// Helpdesk may end a session too (users:disconnect); the NAS's answer is the message, the attempt is audited either way.
// A worker sends it (the NAS takes it only from a worker's address); "no worker is running" comes back as the error.
export async function disconnectSessionAction(userId: string, sessionId: string): Promise<TFormState> {
  const result = await adminFormAction("users:disconnect", ({ actor }) => disconnectSession({ prisma, databaseUrl: databaseUrl(), actor, sessionId }));
  revalidatePath(`/users/${userId}`);
  if (!result.ok || !result.data) return outcome(result);
  if (result.data.acknowledged) return { ok: true, message: "The NAS ended the session." };
  return { ok: false, error: `The NAS refused to end the session${result.data.errorCause ? ` (Error-Cause ${result.data.errorCause})` : ""}.` };
}

export async function removeAuthenticatorAction(userId: string, authenticatorId: string): Promise<TFormState> {
  const result = await adminFormAction("users:write", ({ actor }) => removeAuthenticator({ prisma, actor, userId, authenticatorId }));
  if (result.ok) revalidatePath(`/users/${userId}`);
  return outcome(result);
}

export async function issueBypassCodeAction(userId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("users:bypass", ({ actor }) => {
    const { expiresInHours } = parseInput(ZBypassCodeFormSchema, formToObject(formData));
    return issueBypassCodes({ prisma, actor, userId, input: { count: 1, uses: 1, expiresInMinutes: expiresInHours * 60 } });
  });
  if (!result.ok || !result.data) return outcome(result);
  return { ok: true, once: { bypassCode: result.data.codes.join(" "), expiresAt: result.data.expiresAt?.toISOString() ?? "" } };
}

export async function issueEnrollmentLinkAction(userId: string): Promise<TFormState> {
  const result = await adminFormAction("users:enroll", ({ actor }) => issueEnrollmentLink({ prisma, actor, userId }));
  if (!result.ok || !result.data) return outcome(result);
  return { ok: true, once: { enrollmentUrl: result.data.url, expiresAt: result.data.expiresAt.toISOString() } };
}

// Never echoes the password: only the outcome goes back to the browser.
export async function setUserPasswordAction(userId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("users:write", ({ actor }) => setUserPassword({ prisma, actor, userId, input: formToObject(formData) }));
  if (result.ok) revalidatePath(`/users/${userId}`);
  return outcome(result);
}

export async function importUsersAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const csv = await readCsvUpload(formData);
  const result = await adminFormAction("users:write", ({ actor }) => importUsersCsv({ prisma, actor, csv }));
  if (!result.ok || !result.data) return outcome(result);
  revalidatePath("/users");
  const { created, updated, passwordsSet, errors } = result.data;
  const skipped = errors.length > 0 ? ` ${errors.length} row(s) skipped, listed below.` : "";
  const passwords = passwordsSet > 0 ? ` ${passwordsSet} password(s) set.` : "";
  return { ok: true, message: `Imported: ${created} created, ${updated} updated.${passwords}${skipped}`, fieldErrors: errors.length > 0 ? { csv: errors.map((error) => `Line ${error.line}: ${error.message}`) } : undefined };
}
