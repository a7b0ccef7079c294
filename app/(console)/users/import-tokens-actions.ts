"use server";

import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db";
import { importHardwareTokens } from "@/lib/users/import-hardware-tokens";
import type { TFormState } from "@/components/forms/form-state";
import type { TImportTokensState } from "@/components/users/import-tokens-form";
import { adminFormAction, outcome } from "../../_server/form-action";
import { readCsvUpload } from "../../_server/read-csv-upload";

export async function importTokensAction(_state: TFormState, formData: FormData): Promise<TImportTokensState> {
  // Next caps a server action body at 1 MB already; the schema's own 1 MB limit holds for any other caller.
  const csv = await readCsvUpload(formData);
  const result = await adminFormAction("users:write", ({ actor }) => importHardwareTokens({ prisma, actor, input: { csv, digits: formData.get("digits") ?? "" } }));
  if (!result.ok || !result.data) return outcome(result);
  const { imported, rowErrors } = result.data;
  if (imported.length === 0) return { ok: false, error: `No token imported: ${rowErrors.length} row(s) have errors.`, rowErrors };
  revalidatePath("/users");
  const skipped = rowErrors.length > 0 ? ` ${rowErrors.length} row(s) skipped, listed below.` : "";
  return { ok: true, message: `Imported ${imported.length} token(s).${skipped}`, imported, rowErrors };
}
