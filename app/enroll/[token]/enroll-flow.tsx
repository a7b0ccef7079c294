"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { TCompleteEnrollState, TStartEnrollState } from "./enroll-state";

function InputField(props: { name: string; label: string; type?: string; errors?: string[]; hint?: string; autoComplete?: string; inputMode?: "numeric" | "text" }) {
  const id = `enroll-${props.name}`;
  const invalid = Boolean(props.errors?.length);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input id={id} name={props.name} type={props.type ?? "text"} autoComplete={props.autoComplete} inputMode={props.inputMode} aria-invalid={invalid} aria-describedby={`${id}-error ${id}-hint`} />
      {props.hint && (
        <div className="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
      {invalid && (
        <div className="error" id={`${id}-error`} role="alert" data-field-error={props.name}>
          {props.errors?.join(" ")}
        </div>
      )}
    </div>
  );
}

// One page, three steps: password → scan and confirm → done. The secret is only in this response, never re-shown.
export function EnrollFlow(props: {
  username: string;
  choosePassword: boolean; // the admin left the local password to the user: choose it here instead of typing it
  start: (state: TStartEnrollState, formData: FormData) => Promise<TStartEnrollState>;
  complete: (state: TCompleteEnrollState, formData: FormData) => Promise<TCompleteEnrollState>;
}) {
  const [startState, startDispatch, starting] = useActionState(props.start, { step: "password" });
  const [completeState, completeDispatch, completing] = useActionState(props.complete, { done: false });
  const submit = (dispatch: (formData: FormData) => void) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => dispatch(formData));
  };
  if (completeState.done) {
    return (
      <div className="banner ok" role="status" data-testid="enroll-done">
        Your authenticator is set up. Sign in to the VPN with your password and the code from the app.
      </div>
    );
  }
  const scan = startState;
  if (scan.step === "scan") {
    return (
      <form className="form" onSubmit={submit(completeDispatch)} noValidate data-testid="enroll-confirm">
        {completeState.error && (
          <div className="banner error" role="alert">
            {completeState.error}
          </div>
        )}
        <p>Scan this QR code with your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password…).</p>
        <img className="qr" src={scan.qrDataUrl} width={200} height={200} alt="QR code for your authenticator app" />
        {/* On the phone itself a QR code cannot be scanned: the same otpauth:// URI as a link opens the installed app.
            Only that scheme is ever rendered as a link. */}
        {scan.uri.startsWith("otpauth://") && (
          <p>
            <a href={scan.uri} className="button" data-testid="enroll-otpauth-link">
              On this phone? Tap to add to your authenticator app
            </a>
          </p>
        )}
        <div className="field">
          <span className="hint">Can’t scan? Enter this key in the app (time-based, 6 digits, 30 seconds):</span>
          <div className="secret-once" data-testid="enroll-secret">
            {scan.secretBase32}
          </div>
        </div>
        <input type="hidden" name="authenticatorId" value={scan.authenticatorId} />
        <InputField name="code" label="Code from the app" inputMode="numeric" autoComplete="one-time-code" errors={completeState.fieldErrors?.code} hint="The 6 digits the app shows now." />
        <InputField name="name" label="Device name (optional)" errors={completeState.fieldErrors?.name} hint="For example “Work phone”." />
        <div className="actions">
          <button type="submit" className="primary" disabled={completing}>
            {completing ? "Checking…" : "Activate"}
          </button>
        </div>
      </form>
    );
  }
  const passwordState = scan;
  return (
    <form className="form" onSubmit={submit(startDispatch)} noValidate data-testid="enroll-password">
      {passwordState.error && (
        <div className="banner error" role="alert">
          {passwordState.error}
        </div>
      )}
      <input type="text" name="username" autoComplete="username" value={props.username} readOnly hidden />
      {props.choosePassword ? (
        <>
          <p>
            Choose the password <strong>{props.username}</strong> will use to sign in to the VPN, then set up the app.
          </p>
          <InputField name="newPassword" label="New password" type="password" autoComplete="new-password" errors={passwordState.fieldErrors?.newPassword} hint="At least 8 characters." />
          <InputField name="confirmPassword" label="Type it again" type="password" autoComplete="new-password" errors={passwordState.fieldErrors?.confirmPassword} />
        </>
      ) : (
        <>
          <p>
            Signed in as <strong>{props.username}</strong>? Confirm it is you with the password you use for the VPN.
          </p>
          <InputField name="password" label="Password" type="password" autoComplete="current-password" errors={passwordState.fieldErrors?.password} />
        </>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={starting}>
          {starting ? "Checking…" : "Continue"}
        </button>
      </div>
    </form>
  );
}
