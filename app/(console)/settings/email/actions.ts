"use server";

import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { saveSmtpSettings } from "@/lib/mail/save-smtp-settings";
import { sendTestEmail } from "@/lib/mail/send-test-email";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../../_server/form-action";

export async function saveSmtpSettingsAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("settings:write", ({ actor }) => saveSmtpSettings({ prisma, actor, input: formToObject(formData) }));
  if (result.ok) revalidatePath("/settings/email");
  return outcome(result);
}

export async function sendTestEmailAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("settings:write", ({ actor }) => sendTestEmail({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok || !result.data) return outcome(result);
  return { ok: true, message: `Sent. The server answered: ${result.data.response}` };
}
