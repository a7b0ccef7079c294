"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { createApplication } from "@/lib/applications/create-application";
import { updateApplication } from "@/lib/applications/update-application";
import { rotateApplicationSkey } from "@/lib/applications/rotate-application-skey";
import { deleteApplication } from "@/lib/applications/delete-application";
import { withUncheckedBoxes } from "@/lib/policy/policy-form-schema";
import { deletePolicyOverride, savePolicy } from "@/lib/policy/save-policy";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../_server/form-action";

export async function createApplicationAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("applications:write", ({ actor }) => createApplication({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok || !result.data) return outcome(result);
  revalidatePath("/applications");
  // The skey travels in this one response and is rendered from it; nothing stores it for a later page view.
  return { ok: true, once: { id: result.data.id, ikey: result.data.ikey, skey: result.data.skey } };
}

export async function updateApplicationAction(id: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("applications:write", ({ actor }) => updateApplication({ prisma, actor, id, input: formToObject(formData) }));
  if (result.ok) revalidatePath(`/applications/${id}`);
  return outcome(result);
}

export async function rotateSkeyAction(id: string): Promise<TFormState> {
  const result = await adminFormAction("applications:write", ({ actor }) => rotateApplicationSkey({ prisma, actor, id }));
  if (!result.ok || !result.data) return outcome(result);
  return { ok: true, once: { skey: result.data.skey } };
}

export async function deleteApplicationAction(id: string): Promise<TFormState> {
  const result = await adminFormAction("applications:write", ({ actor }) => deleteApplication({ prisma, actor, id }));
  if (!result.ok) return outcome(result);
  revalidatePath("/applications");
  redirect("/applications");
}

export async function saveOverrideAction(applicationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("policy:write", ({ actor }) => savePolicy({ prisma, actor, applicationId, input: withUncheckedBoxes(formToObject(formData)) }));
  if (result.ok) revalidatePath(`/applications/${applicationId}`);
  return outcome(result);
}

export async function deleteOverrideAction(applicationId: string): Promise<TFormState> {
  const result = await adminFormAction("policy:write", ({ actor }) => deletePolicyOverride({ prisma, actor, applicationId }));
  if (!result.ok) return outcome(result);
  redirect(`/applications/${applicationId}?override=cleared`);
}
