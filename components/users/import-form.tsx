"use client";

import { ActionForm, useFormResult } from "../forms/action-form";
import type { TFormAction } from "../forms/form-state";
import { CsvUploadFields, ImportErrors } from "../forms/csv-upload";

function RowErrors() {
  return <ImportErrors errors={useFormResult()?.fieldErrors?.csv} />;
}

export function ImportUsersForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Import" pendingLabel="Importing…">
      <CsvUploadFields accept=".csv,text/csv" inlineErrors={false} hint="Columns: username,email,groups,password — groups separated by ; (a header row is optional and may name the columns in any order). Missing groups are created. password is the local password, hashed on import; empty leaves it unchanged. Each bad row is listed and skipped; the others import." />
      <RowErrors />
    </ActionForm>
  );
}
