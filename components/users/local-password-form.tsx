"use client";

import { useState } from "react";
import { ActionForm } from "../forms/action-form";
import { Field, FieldErrors } from "../forms/field";
import type { TFormAction } from "../forms/form-state";

export type TLocalPasswordState = "set" | "choose_at_enrollment" | "none";

const DESCRIPTIONS: Record<TLocalPasswordState, string> = {
  set: "A local password is set.",
  choose_at_enrollment: "The user chooses a password on the enrollment page (send them an enrollment link).",
  none: "No local password: applications with primary authentication “Twofold local password” reject this user.",
};

// The password for applications whose primary authentication is Twofold's own. Typed once by the admin and sent
// straight to the hasher; it is never shown again, not even here.
export function LocalPasswordForm({ action, current }: { action: TFormAction; current: TLocalPasswordState }) {
  const [mode, setMode] = useState<"set" | "choose_at_enrollment" | "clear">("set");
  return (
    <ActionForm action={action} submitLabel="Save password" pendingLabel="Saving…" successMessage="Saved." testId="local-password-form">
      <p className="muted" data-testid="local-password-state">
        {DESCRIPTIONS[current]}
      </p>
      <fieldset className="field">
        <legend>Local password</legend>
        {(
          [
            ["set", current === "set" ? "Reset the password" : "Set a password"],
            ["choose_at_enrollment", "User must choose it at enrollment"],
            ["clear", "Remove the password"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} style={{ display: "block" }}>
            <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} /> {label}
          </label>
        ))}
        <FieldErrors name="mode" id="local-password-mode-error" />
      </fieldset>
      {mode === "set" && (
        <Field name="password" label="New password" type="password" autoComplete="new-password" hint="8 characters or more, at most 128 bytes (what RADIUS can carry). Tell the user over a channel you trust." />
      )}
    </ActionForm>
  );
}
