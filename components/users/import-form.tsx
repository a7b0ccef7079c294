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
      <CsvUploadFields accept=".csv,text/csv" hint="Columns: username,email,groups — groups separated by ; (a header row is optional). Missing groups are created." />
      <RowErrors />
    </ActionForm>
  );
}
