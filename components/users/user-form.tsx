"use client";

import { Fragment } from "react";
import { ActionForm } from "../forms/action-form";
import { Field, SelectField } from "../forms/field";
import type { TFormAction } from "../forms/form-state";
import { CheckboxGroup } from "../forms/textarea-field";

export type TUserDefaults = { username: string; displayName: string; email: string; status: string; groupIds: string[] };

export function UserForm(props: { action: TFormAction; mode: "create" | "edit"; defaults?: TUserDefaults; groups: { id: string; name: string }[] }) {
  const defaults = props.defaults ?? { username: "", displayName: "", email: "", status: "active", groupIds: [] };
  // loadedStatus: the status this form shows, what the server compares a change against (it refuses if the row moved
  // meanwhile, and changes nothing if the select was left alone). When the page comes back with another status (a
  // lockout seen after a save, an unlock), the fields start over from the row, so the select never shows a status
  // the row no longer has; keyed below the form, so its "Saved." stays.
  return (
    <ActionForm action={props.action} submitLabel={props.mode === "create" ? "Create user" : "Save user"} successMessage="Saved.">
      <Fragment key={defaults.status}>
        {props.mode === "edit" && <input type="hidden" name="loadedStatus" value={defaults.status} />}
        <Field name="username" label="Username" defaultValue={defaults.username} required hint="As it arrives after normalization, e.g. alice (not CORP\alice when domains are stripped)." />
        <Field name="displayName" label="Display name" defaultValue={defaults.displayName} />
        <Field name="email" label="Email" type="email" defaultValue={defaults.email} />
        <SelectField
          name="status"
          label="Status"
          defaultValue={defaults.status}
          hint="Bypass skips the second factor for this user; disabled rejects every login."
          options={[
            { value: "active", label: "Active" },
            { value: "bypass", label: "Bypass (no second factor)" },
            { value: "disabled", label: "Disabled" },
            { value: "locked_out", label: "Locked out" },
          ]}
        />
        <CheckboxGroup name="groupIds" label="Groups" options={props.groups.map((group) => ({ value: group.id, label: group.name }))} checked={defaults.groupIds} />
      </Fragment>
    </ActionForm>
  );
}
