"use client";

import { ActionForm } from "../forms/action-form";
import { CheckboxField, Field, SelectField } from "../forms/field";
import type { TFormAction } from "../forms/form-state";

export type TRadiusClientDefaults = { name: string; address: string; requireMessageAuthenticator: boolean; applicationId: string; coaPort: number };

export function RadiusClientForm(props: {
  action: TFormAction;
  mode: "create" | "edit";
  defaults?: TRadiusClientDefaults;
  applications: { id: string; name: string }[];
}) {
  const defaults = props.defaults ?? { name: "", address: "", requireMessageAuthenticator: true, applicationId: "", coaPort: 1700 };
  return (
    <ActionForm action={props.action} submitLabel={props.mode === "create" ? "Create RADIUS client" : "Save changes"} testId="radius-client-form">
      <Field name="name" label="Name" defaultValue={defaults.name} required hint="How this device appears in the log, e.g. asa-hq." />
      <Field
        name="address"
        label="Address"
        defaultValue={defaults.address}
        required
        placeholder="10.0.0.1 or 10.0.0.0/24"
        hint="The source IP of the device's RADIUS packets: one IPv4/IPv6 address or a network in CIDR form."
      />
      <Field
        name="secret"
        label={props.mode === "create" ? "Shared secret" : "New shared secret"}
        type="password"
        autoComplete="new-password"
        required={props.mode === "create"}
        hint={
          props.mode === "create"
            ? "At least 8 characters; the same value goes into the device's RADIUS configuration. It is never shown again."
            : "Leave empty to keep the current secret (it is never shown). Type a new one to replace it."
        }
      />
      <CheckboxField
        name="requireMessageAuthenticator"
        label="Require Message-Authenticator"
        defaultChecked={defaults.requireMessageAuthenticator}
        hint="Drops requests without a valid Message-Authenticator (protects against BlastRADIUS). Leave on unless the device cannot send it."
      />
      <SelectField
        name="applicationId"
        label="Application"
        defaultValue={defaults.applicationId}
        options={[{ value: "", label: "— none —" }, ...props.applications.map((application) => ({ value: application.id, label: application.name }))]}
        hint="The application whose policy and primary authentication apply to this device's requests."
      />
      <Field
        name="coaPort"
        label="CoA port"
        type="number"
        inputMode="numeric"
        defaultValue={defaults.coaPort}
        hint="Where the device listens for CoA and Disconnect from ISE, relayed by Twofold (the ASA's dynamic-authorization port, 1700 by default)."
      />
    </ActionForm>
  );
}
