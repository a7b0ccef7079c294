"use server";

import { redirect } from "next/navigation";
import { prisma } from "@/lib/db";
import { handleAction } from "@/lib/api/handle-action";
import { createOwner } from "@/lib/auth/create-owner";
import type { TFormState } from "@/components/forms/form-state";
import { formToObject } from "../_server/form-action";
import { startSession } from "../_server/session-cookie";

export async function createOwnerAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const input = formToObject(formData);
  const result = await handleAction(async () => {
    const { adminId } = await createOwner({ prisma, token: String(formData.get("token") ?? ""), input });
    // Password-only so far: the session can look around but not change anything until TOTP is confirmed.
    await startSession({ adminId, mfaVerified: false });
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  redirect("/account/two-factor?setup=1");
}
