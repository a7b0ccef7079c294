import type { ReactNode } from "react";

// The centred card of the pages a signed-out admin sees (sign-in steps, setup): title, one line of why, the form,
// and a way back to the start when there is one.
export function AuthCard(props: { title: string; lede: ReactNode; children: ReactNode; startOver?: boolean }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{props.title}</h1>
        <p className="muted">{props.lede}</p>
        {props.children}
        {props.startOver ? (
          <p className="muted" style={{ marginTop: 12 }}>
            <a href="/sign-in">Start over</a>
          </p>
        ) : null}
      </div>
    </main>
  );
}
