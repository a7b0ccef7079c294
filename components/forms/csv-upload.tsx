import { TextareaField } from "./textarea-field";

// The file input and paste box both CSV imports use; the action reads either (app/_server/read-csv-upload.ts).
export function CsvUploadFields({ accept, hint, inlineErrors }: { accept: string; hint: string; inlineErrors?: boolean }) {
  return (
    <>
      <div className="field">
        <label htmlFor="csv-file">CSV file</label>
        <input id="csv-file" type="file" name="file" accept={accept} />
      </div>
      <TextareaField name="csv" label="…or paste CSV" rows={8} hint={hint} inlineErrors={inlineErrors} />
    </>
  );
}

export function ImportErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul className="banner error" data-testid="import-errors" style={{ paddingLeft: 28 }}>
      {errors.map((error) => <li key={error}>{error}</li>)}
    </ul>
  );
}
