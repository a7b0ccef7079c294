"use client";

import { ActionForm } from "../forms/action-form";
import { Field, SelectField } from "../forms/field";
import type { TFormAction } from "../forms/form-state";

export type TPrimaryAuthDefaults = {
  name: string; kind: string; applicationId: string; host: string; port: string; accountingPort: string; bindDn: string; baseDn: string;
  userFilter: string; groupAttribute: string; usernameAttribute: string; tlsMode: string; timeoutMs: string; retries: string; position: string;
};

export const EMPTY_PRIMARY_AUTH: TPrimaryAuthDefaults = {
  name: "", kind: "radius", applicationId: "", host: "", port: "1812", accountingPort: "", bindDn: "", baseDn: "", userFilter: "", groupAttribute: "", usernameAttribute: "",
  tlsMode: "none", timeoutMs: "5000", retries: "1", position: "0",
};

export function PrimaryAuthServerForm(props: { action: TFormAction; mode: "create" | "edit"; defaults: TPrimaryAuthDefaults; applications: { id: string; name: string }[] }) {
  const d = props.defaults;
  return (
    <ActionForm action={props.action} submitLabel={props.mode === "create" ? "Add server" : "Save server"} successMessage="Saved.">
      <Field name="name" label="Name" defaultValue={d.name} required hint="e.g. ise-1 or dc01" />
      <SelectField name="kind" label="Kind" defaultValue={d.kind} options={[{ value: "radius", label: "RADIUS (ISE, NPS, FreeRADIUS)" }, { value: "ldap", label: "LDAP / Active Directory" }]} />
      <SelectField name="applicationId" label="Application" defaultValue={d.applicationId} options={[{ value: "", label: "— choose —" }, ...props.applications.map((application) => ({ value: application.id, label: application.name }))]} />
      <Field name="host" label="Host" defaultValue={d.host} required />
      <Field name="port" label="Port" defaultValue={d.port} inputMode="numeric" hint="RADIUS 1812; LDAP 389, LDAPS 636." />
      <Field name="accountingPort" label="Accounting port (RADIUS, optional)" defaultValue={d.accountingPort} inputMode="numeric" />
      <Field
        name="secret"
        label={props.mode === "create" ? "Shared secret / bind password" : "New shared secret / bind password"}
        type="password"
        autoComplete="new-password"
        hint={props.mode === "create" ? "Never shown again." : "Leave empty to keep the current one (it is never shown)."}
      />
      <Field name="bindDn" label="Bind DN (LDAP)" defaultValue={d.bindDn} placeholder="CN=svc-twofold,OU=Service,DC=corp,DC=example" />
      <Field name="baseDn" label="Base DN (LDAP)" defaultValue={d.baseDn} placeholder="DC=corp,DC=example" />
      <Field name="userFilter" label="User filter (LDAP)" defaultValue={d.userFilter} placeholder="(sAMAccountName={username})" />
      <Field name="groupAttribute" label="Group attribute (LDAP)" defaultValue={d.groupAttribute} placeholder="memberOf" />
      <Field name="usernameAttribute" label="Username attribute (LDAP)" defaultValue={d.usernameAttribute} placeholder="sAMAccountName, then uid" hint="The account's canonical name: Twofold finds its user by this value after the bind, whatever spelling was typed." />
      <SelectField name="tlsMode" label="TLS (LDAP)" defaultValue={d.tlsMode} options={[{ value: "none", label: "None" }, { value: "starttls", label: "StartTLS" }, { value: "ldaps", label: "LDAPS" }]} />
      <Field name="timeoutMs" label="Timeout (ms)" defaultValue={d.timeoutMs} inputMode="numeric" />
      <Field name="retries" label="Retries" defaultValue={d.retries} inputMode="numeric" />
      <Field name="position" label="Order" defaultValue={d.position} inputMode="numeric" hint="Lower is tried first." />
    </ActionForm>
  );
}

export function TestServerForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm action={action} submitLabel="Run test" pendingLabel="Testing…">
      <Field name="username" label="Test username" autoComplete="off" />
      <Field name="password" label="Test password" type="password" autoComplete="off" hint="Used for this one request only; never stored." />
    </ActionForm>
  );
}
