"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { createRadiusClient } from "@/lib/radius-clients/create-radius-client";
import { updateRadiusClient } from "@/lib/radius-clients/update-radius-client";
import { deleteRadiusClient } from "@/lib/radius-clients/delete-radius-client";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../_server/form-action";

export async function createRadiusClientAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("radius_clients:write", ({ actor }) => createRadiusClient({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok) return outcome(result);
  revalidatePath("/radius-clients");
  redirect("/radius-clients?saved=created");
}

export async function updateRadiusClientAction(id: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("radius_clients:write", ({ actor }) => updateRadiusClient({ prisma, actor, id, input: formToObject(formData) }));
  if (!result.ok) return outcome(result);
  revalidatePath("/radius-clients");
  redirect("/radius-clients?saved=updated");
}

export async function deleteRadiusClientAction(id: string, _state: TFormState): Promise<TFormState> {
  const result = await adminFormAction("radius_clients:write", ({ actor }) => deleteRadiusClient({ prisma, actor, id }));
  if (!result.ok) return outcome(result);
  revalidatePath("/radius-clients");
  redirect("/radius-clients?saved=deleted");
}
