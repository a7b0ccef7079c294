"use server";

import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { withUncheckedBoxes } from "@/lib/policy/policy-form-schema";
import { savePolicy } from "@/lib/policy/save-policy";
import type { TFormState } from "@/components/forms/form-state";
import { adminFormAction, formToObject, outcome } from "../../_server/form-action";

export async function saveGlobalPolicyAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  const result = await adminFormAction("policy:write", ({ actor }) => savePolicy({ prisma, actor, input: withUncheckedBoxes(formToObject(formData)) }));
  if (result.ok) revalidatePath("/policies");
  return outcome(result);
}
