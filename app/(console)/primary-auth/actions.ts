"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { deletePrimaryAuthServer, savePrimaryAuthServer } from "@/lib/primary-auth/manage-primary-auth-servers";
import { testPrimaryAuthServer } from "@/lib/primary-auth/test-primary-auth-server";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../_server/form-action";

export async function createPrimaryAuthServerAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("primary_auth:write", ({ actor }) => savePrimaryAuthServer({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok) return outcome(result);
  revalidatePath("/primary-auth");
  redirect("/primary-auth");
}

export async function updatePrimaryAuthServerAction(id: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("primary_auth:write", ({ actor }) => savePrimaryAuthServer({ prisma, actor, id, input: formToObject(formData) }));
  // The server's page too: its warning about the application's mode follows the attachment just saved.
  if (result.ok) {
    revalidatePath("/primary-auth");
    revalidatePath(`/primary-auth/${id}`);
  }
  return outcome(result);
}

export async function deletePrimaryAuthServerAction(id: string): Promise<TFormState> {
  const result = await adminFormAction("primary_auth:write", ({ actor }) => deletePrimaryAuthServer({ prisma, actor, id }));
  if (!result.ok) return outcome(result);
  redirect("/primary-auth");
}

// A test sends real traffic with a typed password, so it needs the write permission (and the admin's own TOTP).
export async function testPrimaryAuthServerAction(id: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("primary_auth:write", () => testPrimaryAuthServer({ prisma, id, input: formToObject(formData) }));
  if (!result.ok || !result.data) return outcome(result);
  return result.data.ok ? { ok: true, message: result.data.message } : { ok: false, error: result.data.message };
}
