"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { handleAction } from "@/lib/api/handle-action";
import { confirmAdminTotpEnrollment } from "@/lib/auth/admin-totp-enrollment";
import { AppError } from "@/lib/errors/app-error";
import type { TFormState } from "@/components/forms/form-state";
import { getSession } from "../../../_server/session";

export async function confirmTotpAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await handleAction(async () => {
    const session = await getSession();
    if (!session) throw new AppError("UNAUTHORIZED", "Sign in first");
    await confirmAdminTotpEnrollment({ prisma, adminId: session.adminId, sessionId: session.sessionId, code: String(formData.get("code") ?? "") });
  });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  // The console layout (with its "no authenticator yet" banner) is kept across client navigations: drop it so the
  // next page renders it from the session that is now verified.
  revalidatePath("/", "layout");
  redirect("/");
}
