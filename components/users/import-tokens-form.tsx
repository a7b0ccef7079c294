"use client";

import { ActionForm, useFormResult } from "../forms/action-form";
import type { TFormAction, TFormState } from "../forms/form-state";
import { SelectField } from "../forms/field";
import { DataTable } from "../shell/data-table";
import { TextareaField } from "../forms/textarea-field";

export type TImportTokensState = (NonNullable<TFormState> & { imported?: { serial: string; username: string }[]; rowErrors?: string[] }) | undefined;

// The token import action is the only producer of this form's state, so the extra fields are known to be its own.
const useImportResult = (): TImportTokensState => useFormResult() as TImportTokensState;

function RowErrors() {
  const errors = useImportResult()?.rowErrors;
  if (!errors?.length) return null;
  return (
    <ul className="banner error" data-testid="import-errors" style={{ paddingLeft: 28 }}>
      {errors.map((error) => <li key={error}>{error}</li>)}
    </ul>
  );
}

function ImportedTokens() {
  const imported = useImportResult()?.imported;
  if (!imported?.length) return null;
  return (
    <DataTable
      testId="imported-tokens"
      rows={imported}
      rowKey={(token) => token.serial}
      empty="No tokens imported."
      columns={[
        { header: "Serial", cell: (token) => token.serial },
        { header: "User", cell: (token) => token.username },
      ]}
    />
  );
}

export function ImportTokensForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Import tokens" pendingLabel="Importing…">
      <div className="field">
        <label htmlFor="csv-file">CSV file</label>
        <input id="csv-file" type="file" name="file" accept=".csv,text/csv,text/plain" />
      </div>
      <TextareaField name="csv" label="…or paste CSV" rows={8} hint="Columns: serial,secret,counter,username — the secret in hex or base32 (prefix hex: or base32: to force one), the counter the token will show next; a header row is optional." />
      <SelectField name="digits" label="Digits" defaultValue="6" options={[{ value: "6", label: "6 digits" }, { value: "8", label: "8 digits" }]} hint="How many digits these tokens display (all tokens in one file)." />
      <RowErrors />
      <ImportedTokens />
    </ActionForm>
  );
}
