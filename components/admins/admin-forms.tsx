"use client";

import { ActionForm, useFormResult } from "../forms/action-form";
import { SecretOnce } from "../forms/copy-button";
import { Field, SelectField } from "../forms/field";
import type { TFormAction } from "../forms/form-state";

const ROLES = [
  { value: "admin", label: "Admin: all configuration" },
  { value: "helpdesk", label: "Helpdesk: users and the log, unlock, bypass codes, enrollment links" },
  { value: "readonly", label: "Read-only: sees everything except secrets" },
  { value: "owner", label: "Owner: everything, including admins" },
];

function TemporaryPassword() {
  const value = useFormResult()?.once?.temporaryPassword;
  if (!value) return null;
  return (
    <>
      <SecretOnce label="Temporary password (shown once)" value={value} testId="temporary-password" />
      <div className="hint">Send it to the new admin over a channel you trust. They add their authenticator app at first sign-in.</div>
    </>
  );
}

export function InviteAdminForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Invite admin" pendingLabel="Inviting…">
      <Field name="email" label="Email" type="email" required />
      <Field name="name" label="Name (optional)" />
      <SelectField name="role" label="Role" defaultValue="helpdesk" options={ROLES} />
      <TemporaryPassword />
    </ActionForm>
  );
}

export function AdminRowForm({ action, role, disabled }: { action: TFormAction; role: string; disabled: boolean }) {
  return (
    <ActionForm action={action} submitLabel="Save" className="filters">
      <SelectField name="role" label="Role" defaultValue={role} options={ROLES.map((option) => ({ value: option.value, label: option.value }))} />
      <SelectField name="disabled" label="Status" defaultValue={String(disabled)} options={[{ value: "false", label: "active" }, { value: "true", label: "disabled" }]} />
    </ActionForm>
  );
}
