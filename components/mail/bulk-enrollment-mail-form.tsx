"use client";

import { startTransition, useActionState, type FormEvent } from "react";

type TBulkState = { ok?: boolean; error?: string; result?: { sent: { username: string; to: string }[]; failed: { username: string; reason: string }[]; skipped: { username: string; reason: string }[] } } | undefined;

export function BulkEnrollmentMailForm(props: { action: () => Promise<TBulkState>; count: number }) {
  const [state, dispatch, pending] = useActionState(props.action, undefined);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!window.confirm(`Email an enrollment link to ${props.count} user(s)?`)) return;
    startTransition(() => dispatch());
  };
  const result = state?.result;
  return (
    <form className="form" onSubmit={onSubmit} data-testid="bulk-enrollment-mail">
      {state?.error && <div className="banner error" role="alert">{state.error}</div>}
      {result && (
        <div className={`banner ${result.failed.length ? "warn" : "ok"}`} role="status" data-testid="bulk-result">
          Sent {result.sent.length}; failed {result.failed.length}; skipped {result.skipped.length}.
        </div>
      )}
      {result && result.failed.length > 0 && (
        <>
          <h3>Not sent</h3>
          <ul data-testid="bulk-failed">{result.failed.map((row) => <li key={row.username}><strong>{row.username}</strong>: {row.reason}</li>)}</ul>
        </>
      )}
      {result && result.skipped.length > 0 && (
        <>
          <h3>Skipped</h3>
          <ul data-testid="bulk-skipped">{result.skipped.map((row) => <li key={row.username}><strong>{row.username}</strong>: {row.reason}</li>)}</ul>
        </>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={pending || props.count === 0}>
          {pending ? "Sending…" : `Email ${props.count} user(s)`}
        </button>
      </div>
    </form>
  );
}
