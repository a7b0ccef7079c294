"use client";

import { ActionForm } from "../forms/action-form";
import { CheckboxField, Field, SelectField } from "../forms/field";
import type { TFormAction } from "../forms/form-state";

export type TSmtpDefaults = { host: string; port: string; security: string; fromAddress: string; fromName: string; username: string; hasPassword: boolean };

export function SmtpSettingsForm(props: { action: TFormAction; defaults: TSmtpDefaults }) {
  const d = props.defaults;
  return (
    <ActionForm action={props.action} submitLabel="Save mail server" successMessage="Saved." testId="smtp-settings">
      <Field name="host" label="SMTP host" defaultValue={d.host} required placeholder="smtp.example.com" />
      <Field name="port" label="Port" defaultValue={d.port} inputMode="numeric" hint="587 for STARTTLS, 465 for TLS, 25 for a plain relay." />
      <SelectField
        name="security"
        label="Connection security"
        defaultValue={d.security}
        options={[
          { value: "starttls", label: "STARTTLS (required: never sent in clear)" },
          { value: "tls", label: "TLS from the start (SMTPS)" },
          { value: "none", label: "None (a relay on a trusted network)" },
        ]}
      />
      <Field name="fromAddress" label="From address" type="email" defaultValue={d.fromAddress} required placeholder="mfa@example.com" />
      <Field name="fromName" label="From name (optional)" defaultValue={d.fromName} placeholder="IT Security" />
      <Field name="username" label="Username (optional)" defaultValue={d.username} autoComplete="off" hint="Only if the server asks for authentication." />
      <Field
        name="password"
        label={d.hasPassword ? "New password" : "Password (optional)"}
        type="password"
        autoComplete="new-password"
        hint={d.hasPassword ? "A password is set. Leave empty to keep it (it is never shown)." : "Stored encrypted, never shown again."}
      />
      {d.hasPassword && <CheckboxField name="clearPassword" label="Remove the stored password" />}
    </ActionForm>
  );
}

export function TestEmailForm(props: { action: TFormAction }) {
  return (
    <ActionForm action={props.action} submitLabel="Send test email" pendingLabel="Sending…" testId="smtp-test">
      <Field name="to" label="Send a test to" type="email" placeholder="you@example.com" hint="Uses the saved settings." />
    </ActionForm>
  );
}
