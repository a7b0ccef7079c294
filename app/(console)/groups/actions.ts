"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { addGroupMember, deleteGroup, removeGroupMember, saveGroup } from "@/lib/groups/manage-groups";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../_server/form-action";

export async function createGroupAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("groups:write", ({ actor }) => saveGroup({ prisma, actor, input: formToObject(formData) }));
  if (!result.ok || !result.data) return outcome(result);
  redirect(`/groups/${result.data.id}`);
}

export async function updateGroupAction(id: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("groups:write", ({ actor }) => saveGroup({ prisma, actor, id, input: formToObject(formData) }));
  if (result.ok) revalidatePath(`/groups/${id}`);
  return outcome(result);
}

export async function deleteGroupAction(id: string): Promise<TFormState> {
  const result = await adminFormAction("groups:write", ({ actor }) => deleteGroup({ prisma, actor, id }));
  if (!result.ok) return outcome(result);
  redirect("/groups");
}

export async function addMemberAction(groupId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("groups:write", ({ actor }) => addGroupMember({ prisma, actor, groupId, username: String(formData.get("username") ?? "") }));
  if (result.ok) revalidatePath(`/groups/${groupId}`);
  return outcome(result);
}

export async function removeMemberAction(groupId: string, userId: string): Promise<TFormState> {
  const result = await adminFormAction("groups:write", ({ actor }) => removeGroupMember({ prisma, actor, groupId, userId }));
  if (result.ok) revalidatePath(`/groups/${groupId}`);
  return outcome(result);
}
