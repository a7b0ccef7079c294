"use client";

import { ActionForm } from "../forms/action-form";
import { Field } from "../forms/field";
import type { TFormAction } from "../forms/form-state";
import { CheckboxGroup } from "../forms/textarea-field";

export type TDirectorySyncDefaults = {
  userBaseDn: string; userFilter: string; groupBaseDn: string; groupFilter: string; displayNameAttribute: string; emailAttribute: string; intervalMinutes: string; groupDns: string[];
};

export function DirectorySyncSettingsForm(props: { action: TFormAction; defaults: TDirectorySyncDefaults; groups: { dn: string; label: string }[]; baseDn: string }) {
  const d = props.defaults;
  return (
    <ActionForm action={props.action} submitLabel="Save sync settings" successMessage="Saved." testId="directory-sync-settings">
      <CheckboxGroup
        name="groupDns"
        label="Groups to import"
        options={props.groups.map((group) => ({ value: group.dn, label: group.label }))}
        checked={d.groupDns}
        hint="Their members (nested groups included) become Twofold users, and the groups Twofold groups. None chosen: every user the filter finds, and no groups."
      />
      <Field name="userBaseDn" label="Users: base DN" defaultValue={d.userBaseDn} placeholder={props.baseDn} hint="Empty: the server's base DN." />
      <Field name="userFilter" label="Users: filter" defaultValue={d.userFilter} placeholder="(objectClass=person)" />
      <Field name="groupBaseDn" label="Groups: base DN" defaultValue={d.groupBaseDn} placeholder={props.baseDn} />
      <Field name="groupFilter" label="Groups: filter" defaultValue={d.groupFilter} placeholder="(objectClass=group)" />
      <Field name="displayNameAttribute" label="Display name attribute" defaultValue={d.displayNameAttribute} placeholder="displayName" hint="Falls back to cn." />
      <Field name="emailAttribute" label="Email attribute" defaultValue={d.emailAttribute} placeholder="mail" />
      <Field name="intervalMinutes" label="Sync every (minutes)" defaultValue={d.intervalMinutes} inputMode="numeric" hint="Empty: only when you press Sync. A worker runs it (one worker of the fleet per run)." />
    </ActionForm>
  );
}
