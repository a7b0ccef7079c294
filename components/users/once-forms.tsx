"use client";

import { ActionForm, useFormResult } from "../forms/action-form";
import { SecretOnce } from "../forms/copy-button";
import { Field } from "../forms/field";
import type { TFormAction } from "../forms/form-state";

function OnceValue({ name, label, testId }: { name: string; label: string; testId: string }) {
  const result = useFormResult();
  const value = result?.once?.[name];
  if (!value) return null;
  return (
    <>
      <SecretOnce label={label} value={value} testId={testId} />
      {result?.once?.expiresAt && <div className="hint">Valid until {result.once.expiresAt.replace("T", " ").slice(0, 16)} UTC. Shown only now.</div>}
    </>
  );
}

export function BypassCodeForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Generate bypass code" pendingLabel="Generating…">
      <Field name="expiresInHours" label="Valid for (hours)" defaultValue="24" inputMode="numeric" hint="1 to 2160 (90 days). One use. Give it to the user over a channel you trust." />
      <OnceValue name="bypassCode" label="Bypass code" testId="bypass-code" />
    </ActionForm>
  );
}

export function EnrollmentLinkForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Create enrollment link" pendingLabel="Creating…">
      <OnceValue name="enrollmentUrl" label="Enrollment link" testId="enrollment-link" />
    </ActionForm>
  );
}
