"use server";

import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { inviteAdmin, updateAdmin } from "@/lib/admins/manage-admins";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../_server/form-action";

export async function inviteAdminAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("admins:write", ({ actor }) => inviteAdmin({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok || !result.data) return outcome(result);
  revalidatePath("/admins");
  return { ok: true, once: { temporaryPassword: result.data.temporaryPassword } };
}

export async function updateAdminAction(id: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const input = formToObject(formData);
  const result = await adminFormAction("admins:write", ({ actor }) => updateAdmin({ prisma, actor, id, input: { role: input.role, disabled: input.disabled } }));
  if (result.ok) revalidatePath("/admins");
  return { ...outcome(result), message: result.ok ? "Saved; their sessions were signed out if the role or status changed." : undefined };
}
