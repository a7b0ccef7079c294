"use server";

import { prisma } from "@/lib/db";
import { emailEnrollmentLink } from "@/lib/mail/email-enrollment-link";
import { emailUnenrolledUsers, type TBulkMailResult } from "@/lib/mail/email-unenrolled-users";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, outcome } from "../../_server/form-action";

// The link itself never reaches the browser here: it goes to the user's mailbox only.
export async function sendEnrollmentEmailAction(userId: string): Promise<TFormState> {
  const result = await adminFormAction("users:enroll", ({ actor }) => emailEnrollmentLink({ prisma, actor, userId }));
  if (!result.ok || !result.data) return outcome(result);
  return { ok: true, message: `Sent to ${result.data.to}; the link is valid until ${result.data.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC.` };
}

export type TBulkMailState = { ok?: boolean; error?: string; result?: TBulkMailResult } | undefined;

export async function sendBulkEnrollmentEmailAction(): Promise<TBulkMailState> {
  const result = await adminFormAction("users:enroll", ({ actor }) => emailUnenrolledUsers({ prisma, actor }));
  if (!result.ok || !result.data) return { ok: false, error: result.error };
  return { ok: true, result: result.data };
}
