"use client";

import { useState, type FormEvent } from "react";
import { ActionForm, useFormResult } from "../forms/action-form";
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

const MODE_HINTS: Record<string, string> = {
  radius: "Twofold sends the password to the application's upstream RADIUS servers (ISE, NPS) under Primary auth, and can pass their attributes back to the VPN.",
  ldap: "Twofold binds to the application's LDAP / AD servers under Primary auth. Map groups to a Class for the ASA's group policy.",
  local: "Twofold checks each user's own local password, set on the user's page, by CSV import, or chosen by the user at enrollment. No upstream server is asked.",
  none: "The VPN checks the password itself; Twofold sees only the second factor.",
};

function Warnings({ ignored }: { ignored: string[] }) {
  if (ignored.length === 0) return null;
  return (
    <div className="banner warn" role="status" data-testid="ignored-settings">
      <strong>Saved settings that will not be used:</strong>
      <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
        {ignored.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
    </div>
  );
}

// Shows what applies to the chosen primary mode. Fields that do not apply stay in the form, hidden, so switching the
// mode back and forth never silently erases a saved allow-list; the page's warnings say what is being ignored.
export function ApplicationForm(props: { action: TFormAction; mode: "create" | "edit"; defaults?: TApplicationDefaults; groups: { id: string; name: string }[]; ignored?: string[] }) {
  const defaults = props.defaults ?? EMPTY;
  const [kind, setKind] = useState(defaults.kind);
  const [primary, setPrimary] = useState(defaults.primaryAuthMode);
  const [entry, setEntry] = useState(defaults.factorEntry);
  const track = (event: FormEvent<HTMLDivElement>) => {
    const target = event.target;
    if (!(target instanceof HTMLSelectElement)) return;
    if (target.name === "kind") setKind(target.value);
    if (target.name === "primaryAuthMode") setPrimary(target.value);
    if (target.name === "factorEntry") setEntry(target.value);
  };
  const radiusApp = kind === "radius";
  return (
    <ActionForm action={props.action} submitLabel={props.mode === "create" ? "Create application" : "Save changes"} successMessage="Saved.">
      <Warnings ignored={props.ignored ?? []} />
      <div onChange={track}>
        <Field name="name" label="Name" defaultValue={defaults.name} required hint="e.g. AnyConnect VPN" />
        <SelectField name="kind" label="Kind" defaultValue={defaults.kind} options={[{ value: "radius", label: "RADIUS (VPN, firewall)" }, { value: "auth_api", label: "Duo Auth API (Duo proxy, pam_duo, SDKs)" }, { value: "admin_api", label: "Duo Admin API (read-only: auth log, users)" }]} />
        <SelectField
          name="primaryAuthMode"
          label="Primary authentication"
          defaultValue={defaults.primaryAuthMode}
          hint={<span data-testid="primary-mode-hint">{MODE_HINTS[primary] ?? ""}</span>}
          options={[
            { value: "radius", label: "Upstream RADIUS (e.g. ISE, NPS)" },
            { value: "ldap", label: "LDAP / Active Directory bind" },
            { value: "local", label: "Local password" },
            { value: "none", label: "None (second factor only)" },
          ]}
        />
        <div hidden={!radiusApp}>
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
          <div hidden={entry === "challenge"} data-testid="append-delimiter">
            <Field name="appendDelimiter" label="Append delimiter" defaultValue={defaults.appendDelimiter} hint="Between password and code, e.g. , for hunter2,123456" />
          </div>
          <div hidden={primary !== "radius"} data-testid="pass-through">
            <CheckboxField name="passThroughAll" label="Pass through all attributes from primary RADIUS" defaultChecked={defaults.passThroughAll} hint="Returns e.g. Class (the ASA group policy) as the upstream RADIUS sent it." />
            <TextareaField name="passThroughAttrs" label="Attributes to pass through (when not all)" defaultValue={defaults.passThroughAttrs.join("\n")} hint="One per line, e.g. Class or Cisco-AVPair." />
          </div>
        </div>
      </div>
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
