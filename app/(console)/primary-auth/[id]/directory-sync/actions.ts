"use server";

import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { runDirectorySync } from "@/lib/directory-sync/run-directory-sync";
import { saveSyncSettings } from "@/lib/directory-sync/save-sync-settings";
import type { TFormState } from "@/components/forms/form-state";
import type { TSyncPanelState } from "@/components/primary-auth/directory-sync-panel";
import { adminFormAction, formToObject, outcome } from "../../../../_server/form-action";

export async function saveDirectorySyncSettingsAction(serverId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("primary_auth:write", ({ actor }) => saveSyncSettings({ prisma, actor, serverId, input: formToObject(formData) }));
  if (result.ok) revalidatePath(`/primary-auth/${serverId}/directory-sync`);
  return outcome(result);
}

// The dry-run: reads the directory, computes what would change, writes nothing.
export async function previewDirectorySyncAction(serverId: string): Promise<TSyncPanelState> {
  const result = await adminFormAction("primary_auth:write", ({ actor }) => runDirectorySync({ prisma, actor, serverId, apply: false }));
  if (!result.ok || !result.data) return { error: result.error };
  return { preview: { hash: result.data.hash, diff: result.data.diff } };
}

// Applies only the diff the admin previewed (its hash); a changed directory is refused and previewed again.
export async function applyDirectorySyncAction(serverId: string, hash: string): Promise<TSyncPanelState> {
  const result = await adminFormAction("primary_auth:write", ({ actor }) => runDirectorySync({ prisma, actor, serverId, apply: true, expectedHash: hash }));
  if (!result.ok || !result.data) return { error: result.error };
  revalidatePath(`/primary-auth/${serverId}/directory-sync`);
  return { applied: { diff: result.data.diff } };
}
