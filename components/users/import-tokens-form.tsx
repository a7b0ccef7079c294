"use client";

import { ActionForm, useFormResult } from "../forms/action-form";
import type { TFormAction, TFormState } from "../forms/form-state";
import { SelectField } from "../forms/field";
import { DataTable } from "../shell/data-table";
import { CsvUploadFields, ImportErrors } from "../forms/csv-upload";

export type TImportTokensState = (NonNullable<TFormState> & { imported?: { serial: string; username: string }[]; rowErrors?: string[] }) | undefined;

// The token import action is the only producer of this form's state, so the extra fields are known to be its own.
const useImportResult = (): TImportTokensState => useFormResult() as TImportTokensState;

function RowErrors() {
  return <ImportErrors errors={useImportResult()?.rowErrors} />;
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
      <CsvUploadFields accept=".csv,text/csv,text/plain" hint="Columns: serial,secret,counter,username — the secret in hex or base32 (prefix hex: or base32: to force one), the counter the token will show next; a header row is optional." />
      <SelectField name="digits" label="Digits" defaultValue="6" options={[{ value: "6", label: "6 digits" }, { value: "8", label: "8 digits" }]} hint="How many digits these tokens display (all tokens in one file)." />
      <RowErrors />
      <ImportedTokens />
    </ActionForm>
  );
}
