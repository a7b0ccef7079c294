"use client";

import { ActionForm, useFormResult } from "../forms/action-form";
import type { TFormAction } from "../forms/form-state";
import { TextareaField } from "../forms/textarea-field";

function RowErrors() {
  const errors = useFormResult()?.fieldErrors?.csv;
  if (!errors?.length) return null;
  return (
    <ul className="banner error" data-testid="import-errors" style={{ paddingLeft: 28 }}>
      {errors.map((error) => <li key={error}>{error}</li>)}
    </ul>
  );
}

export function ImportUsersForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Import" pendingLabel="Importing…">
      <div className="field">
        <label htmlFor="csv-file">CSV file</label>
        <input id="csv-file" type="file" name="file" accept=".csv,text/csv" />
      </div>
      <TextareaField name="csv" label="…or paste CSV" rows={8} hint="Columns: username,email,groups — groups separated by ; (a header row is optional). Missing groups are created." />
      <RowErrors />
    </ActionForm>
  );
}
