"use client";

import { POLICY_FIELD_HELP, POLICY_FIELD_LABELS, NEW_USER_POLICY_LABELS } from "@/lib/policy/policy-fields";
import { ActionForm } from "../forms/action-form";
import { CheckboxField, Field, SelectField } from "../forms/field";
import type { TFormAction } from "../forms/form-state";
import { CheckboxGroup, TextareaField } from "../forms/textarea-field";

export type TPolicyDefaults = {
  newUserPolicy: string | null;
  usernameNormalization: string | null;
  failMode: string | null;
  lockoutThreshold: number | null;
  autoUnlockMinutes: number | null;
  challengeTimeoutSec: number | null;
  maxChallengeAttempts: number | null;
  pushTimeoutSec: number | null;
  pushRateLimitPerHour: number | null;
  verifiedPush: boolean | null;
  whenNothingTyped: string | null;
  allowedFactors: string[];
  allowedFactorsInherit: boolean;
  authorizedNetworks: string[];
  authorizedNetworksInherit: boolean;
};

const FACTORS = [
  { value: "totp", label: "Authenticator app (TOTP)" },
  { value: "hotp", label: "Hardware token (HOTP)" },
  { value: "push_device", label: "Push to phone" },
  { value: "bypass_codes", label: "Bypass codes" },
];

// Global mode shows concrete values (the built-in default pre-selected); override mode adds "inherit" to every field.
export function PolicyForm(props: { action: TFormAction; mode: "global" | "override"; defaults: TPolicyDefaults; effective: TPolicyDefaults; submitLabel?: string }) {
  const override = props.mode === "override";
  const inherit = (label: string) => (override ? [{ value: "inherit", label: `Inherit (${label})` }] : []);
  const pick = <K extends keyof TPolicyDefaults>(key: K) => (override ? props.defaults[key] : (props.defaults[key] ?? props.effective[key]));
  const select = (key: "newUserPolicy" | "usernameNormalization" | "failMode" | "whenNothingTyped", options: { value: string; label: string }[]) => (
    <SelectField
      name={key}
      label={POLICY_FIELD_LABELS[key]}
      hint={POLICY_FIELD_HELP[key]}
      defaultValue={String(pick(key) ?? "inherit")}
      options={[...inherit(String(props.effective[key])), ...options]}
    />
  );
  const number = (key: "lockoutThreshold" | "autoUnlockMinutes" | "challengeTimeoutSec" | "maxChallengeAttempts" | "pushTimeoutSec" | "pushRateLimitPerHour") => (
    <Field
      name={key}
      label={POLICY_FIELD_LABELS[key]}
      hint={`${POLICY_FIELD_HELP[key]}${override ? ` Empty: inherit (${props.effective[key] ?? "none"}).` : ""}`}
      inputMode="numeric"
      defaultValue={pick(key) === null ? "" : String(pick(key))}
    />
  );
  return (
    <ActionForm action={props.action} submitLabel={props.submitLabel ?? "Save policy"} successMessage="Policy saved. Workers pick it up within a second." testId="policy-form">
      {select("newUserPolicy", Object.entries(NEW_USER_POLICY_LABELS).map(([value, label]) => ({ value, label })))}
      {select("usernameNormalization", [
        { value: "none", label: "None: use the username exactly as sent" },
        { value: "strip_domain", label: "Strip domain: CORP\\alice and alice@corp.example become alice" },
      ])}
      {select("failMode", [
        { value: "secure", label: "Secure: reject when Twofold cannot decide" },
        { value: "safe", label: "Safe: allow on the password alone when Twofold cannot decide" },
      ])}
      {number("lockoutThreshold")}
      {number("autoUnlockMinutes")}
      {number("challengeTimeoutSec")}
      {number("maxChallengeAttempts")}
      {number("pushTimeoutSec")}
      {number("pushRateLimitPerHour")}
      <SelectField
        name="verifiedPush"
        label={POLICY_FIELD_LABELS.verifiedPush}
        hint={POLICY_FIELD_HELP.verifiedPush}
        defaultValue={pick("verifiedPush") === null ? "inherit" : String(pick("verifiedPush"))}
        options={[...inherit(String(props.effective.verifiedPush)), { value: "false", label: "Off" }, { value: "true", label: "On" }]}
      />
      {select("whenNothingTyped", [
        { value: "challenge_menu", label: "Show the challenge menu (push, passcode, bypass code)" },
        { value: "push_first", label: "Push to the first device; the menu only for users without one" },
      ])}
      {override && <CheckboxField name="allowedFactorsInherit" label="Allowed factors: inherit" defaultChecked={props.defaults.allowedFactorsInherit} />}
      <CheckboxGroup name="allowedFactors" label={POLICY_FIELD_LABELS.allowedFactors} hint={POLICY_FIELD_HELP.allowedFactors} options={FACTORS} checked={props.defaults.allowedFactors} />
      {override && <CheckboxField name="authorizedNetworksInherit" label="Authorized networks: inherit" defaultChecked={props.defaults.authorizedNetworksInherit} />}
      <TextareaField name="authorizedNetworks" label={POLICY_FIELD_LABELS.authorizedNetworks} hint={POLICY_FIELD_HELP.authorizedNetworks} defaultValue={props.defaults.authorizedNetworks.join("\n")} />
    </ActionForm>
  );
}
