"use client";

import { useFormResult } from "../forms/action-form";
import { ActionForm } from "../forms/action-form";
import { CheckboxField, Field, SelectField } from "../forms/field";
import { SecretOnce } from "../forms/copy-button";
import type { TFormAction } from "../forms/form-state";
import { CheckboxGroup, TextareaField } from "../forms/textarea-field";

export type TApplicationDefaults = {
  name: string;
  kind: string;
  primaryAuthMode: string;
  factorEntry: string;
  appendDelimiter: string;
  passThroughAll: boolean;
  passThroughAttrs: string[];
  permittedGroupIds: string[];
};

const EMPTY: TApplicationDefaults = {
  name: "", kind: "radius", primaryAuthMode: "radius", factorEntry: "both", appendDelimiter: ",", passThroughAll: true, passThroughAttrs: [], permittedGroupIds: [],
};

// Rendered from the create action's response only: reloading the page loses it for good, by design.
function CreatedKeys() {
  const result = useFormResult();
  if (!result?.once?.skey) return null;
  return (
    <div className="card" data-testid="created-keys" style={{ borderColor: "#abefc6" }}>
      <p>
        <strong>Application created.</strong> Copy the secret key now: it is shown only this once.{" "}
        {result.once.id && <a href={`/applications/${result.once.id}`}>Open the application</a>}
      </p>
      <SecretOnce label="Integration key (ikey)" value={result.once.ikey ?? ""} testId="ikey" />
      <SecretOnce label="Secret key (skey)" value={result.once.skey} testId="skey" />
    </div>
  );
}

export function ApplicationForm(props: { action: TFormAction; mode: "create" | "edit"; defaults?: TApplicationDefaults; groups: { id: string; name: string }[] }) {
  const defaults = props.defaults ?? EMPTY;
  return (
    <ActionForm action={props.action} submitLabel={props.mode === "create" ? "Create application" : "Save changes"} successMessage="Saved.">
      <CreatedKeys />
      <Field name="name" label="Name" defaultValue={defaults.name} required hint="e.g. AnyConnect VPN" />
      <SelectField name="kind" label="Kind" defaultValue={defaults.kind} options={[{ value: "radius", label: "RADIUS (VPN, firewall)" }, { value: "auth_api", label: "Duo Auth API (Duo proxy, pam_duo, SDKs)" }, { value: "admin_api", label: "Duo Admin API (read-only: auth log, users)" }]} />
      <SelectField
        name="primaryAuthMode"
        label="Primary authentication"
        defaultValue={defaults.primaryAuthMode}
        hint="How the password is checked before the second factor. Configure the servers under Primary auth."
        options={[
          { value: "radius", label: "Upstream RADIUS (e.g. ISE, NPS)" },
          { value: "ldap", label: "LDAP / Active Directory bind" },
          { value: "local", label: "Local password" },
          { value: "none", label: "None (second factor only)" },
        ]}
      />
      <SelectField
        name="factorEntry"
        label="Second-factor entry"
        defaultValue={defaults.factorEntry}
        hint="Append: the user types password, delimiter, code in one field. Challenge: the VPN client asks for the code in a second prompt."
        options={[
          { value: "both", label: "Append or challenge" },
          { value: "append", label: "Append only" },
          { value: "challenge", label: "Challenge only" },
        ]}
      />
      <Field name="appendDelimiter" label="Append delimiter" defaultValue={defaults.appendDelimiter} hint="Between password and code, e.g. , for hunter2,123456" />
      <CheckboxField name="passThroughAll" label="Pass through all attributes from primary RADIUS" defaultChecked={defaults.passThroughAll} hint="Returns e.g. Class (the ASA group policy) as the upstream RADIUS sent it." />
      <TextareaField
        name="passThroughAttrs"
        label="Attributes to pass through (when not all)"
        defaultValue={defaults.passThroughAttrs.join("\n")}
        hint="One per line, e.g. Class or Cisco-AVPair."
      />
      <CheckboxGroup
        name="permittedGroupIds"
        label="Permitted groups"
        options={props.groups.map((group) => ({ value: group.id, label: group.name }))}
        checked={defaults.permittedGroupIds}
        hint="None ticked: every user may use this application."
      />
    </ActionForm>
  );
}

export function RotatedSkey() {
  const result = useFormResult();
  if (!result?.once?.skey) return null;
  return <SecretOnce label="New secret key (shown once)" value={result.once.skey} testId="skey" />;
}
