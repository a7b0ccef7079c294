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
import { claimCreatedKeys, stashCreatedKeys } from "../../_server/created-keys-cookie";

// After "Application created" the admin lands on the application's page, which shows the keys once: they travel
// in a short-lived, encrypted, httpOnly cookie scoped to that page, which the page's first render claims and deletes.
export async function createApplicationAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("applications:write", ({ actor }) => createApplication({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok || !result.data) return outcome(result);
  revalidatePath("/applications");
  const { id, ikey, skey } = result.data;
  await stashCreatedKeys({ id, ikey, skey });
  redirect(`/applications/${id}?created=1`);
}

export async function claimCreatedKeysAction(id: string): Promise<{ ikey: string; skey: string } | undefined> {
  const result = await adminFormAction("applications:write", () => claimCreatedKeys({ id }));
  return result.ok ? result.data : undefined;
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
