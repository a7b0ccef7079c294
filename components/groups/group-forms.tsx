"use client";

import { ActionForm } from "../forms/action-form";
import { Field } from "../forms/field";
import type { TFormAction } from "../forms/form-state";

export function GroupForm({ action, defaults, submitLabel }: { action: TFormAction; defaults?: { name: string; description: string }; submitLabel: string }) {
  return (
    <ActionForm action={action} submitLabel={submitLabel} successMessage="Saved.">
      <Field name="name" label="Name" defaultValue={defaults?.name} required />
      <Field name="description" label="Description" defaultValue={defaults?.description} />
    </ActionForm>
  );
}

export function AddMemberForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Add member" className="filters" successMessage="Added.">
      <Field name="username" label="Username" />
    </ActionForm>
  );
}
