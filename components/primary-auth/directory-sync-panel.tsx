"use client";

import { startTransition, useActionState } from "react";

// The diff as the server action returns it (lib/directory-sync/sync-types.ts TSyncDiff), declared here because
// components/ never imports from the database layer.
type TRow = Record<string, unknown>;
export type TSyncDiffView = {
  creates: { username: string; displayName: string; email: string | null; dn: string }[];
  links: { username: string; dn: string }[];
  renames: { from: string; to: string; dn: string }[];
  updates: { username: string; displayName?: { from: string; to: string }; email?: { from: string | null; to: string | null } }[];
  dnChanges: { externalId: string; dn: string }[];
  disables: { username: string; why: string }[];
  enables: { username: string }[];
  groupCreates: { name: string; dn: string }[];
  groupLinks: { name: string; dn: string }[];
  groupRenames: { from: string; to: string }[];
  memberAdds: { group: string; username: string }[];
  memberRemoves: { group: string; username: string }[];
  refused: { dn: string; reason: string }[];
  warnings: { dn: string; detail: string }[];
};
export type TSyncPanelState = { error?: string; preview?: { hash: string; diff: TSyncDiffView }; applied?: { diff: TSyncDiffView } } | undefined;

const SHOWN = 200;

function Section<T extends TRow>(props: { title: string; rows: T[]; render: (row: T) => string; testId: string; tone?: "warn" | "error" }) {
  if (props.rows.length === 0) return null;
  return (
    <div data-testid={props.testId}>
      <h3 className={props.tone === "error" ? "error" : undefined}>
        {props.title} ({props.rows.length})
      </h3>
      <ul className="mono">
        {props.rows.slice(0, SHOWN).map((row, index) => <li key={index}>{props.render(row)}</li>)}
        {props.rows.length > SHOWN && <li className="muted">… and {props.rows.length - SHOWN} more</li>}
      </ul>
    </div>
  );
}

function DiffView({ diff }: { diff: TSyncDiffView }) {
  const changes = Object.entries(diff).filter(([key]) => key !== "refused" && key !== "warnings").reduce((sum, [, rows]) => sum + rows.length, 0);
  return (
    <div data-testid="sync-diff">
      {changes === 0 && <p data-testid="sync-no-changes">No changes: Twofold matches the directory.</p>}
      <Section testId="diff-creates" title="New users" rows={diff.creates} render={(row) => `+ ${row.username}${row.displayName ? ` (${row.displayName})` : ""}${row.email ? ` <${row.email}>` : ""}`} />
      <Section testId="diff-links" title="Existing users now synced" rows={diff.links} render={(row) => `= ${row.username}  ← ${row.dn}`} />
      <Section testId="diff-renames" title="Renamed" rows={diff.renames} render={(row) => `~ ${row.from} → ${row.to}`} />
      <Section
        testId="diff-updates"
        title="Name or email changed"
        rows={diff.updates}
        render={(row) => `~ ${row.username}: ${[row.displayName && `name "${row.displayName.from}" → "${row.displayName.to}"`, row.email && `email ${row.email.from ?? "none"} → ${row.email.to ?? "none"}`].filter(Boolean).join(", ")}`}
      />
      <Section testId="diff-disables" title="Disabled (left the directory or disabled there; never deleted)" rows={diff.disables} render={(row) => `- ${row.username} (${row.why})`} />
      <Section testId="diff-enables" title="Enabled again (back in the directory)" rows={diff.enables} render={(row) => `+ ${row.username}`} />
      <Section testId="diff-group-creates" title="New groups" rows={diff.groupCreates} render={(row) => `+ ${row.name}`} />
      <Section testId="diff-group-links" title="Existing groups now synced" rows={diff.groupLinks} render={(row) => `= ${row.name}`} />
      <Section testId="diff-group-renames" title="Renamed groups" rows={diff.groupRenames} render={(row) => `~ ${row.from} → ${row.to}`} />
      <Section testId="diff-member-adds" title="Added to groups" rows={diff.memberAdds} render={(row) => `+ ${row.group}: ${row.username}`} />
      <Section testId="diff-member-removes" title="Removed from groups" rows={diff.memberRemoves} render={(row) => `- ${row.group}: ${row.username}`} />
      <Section testId="diff-dn-changes" title="Moved in the directory" rows={diff.dnChanges} render={(row) => row.dn} />
      <Section testId="diff-refused" title="Refused (not imported, nothing changed for them)" tone="error" rows={diff.refused} render={(row) => `! ${row.dn}: ${row.reason}`} />
      <Section testId="diff-warnings" title="Warnings" tone="warn" rows={diff.warnings} render={(row) => `${row.dn ? `${row.dn}: ` : ""}${row.detail}`} />
    </div>
  );
}

export function DirectorySyncPanel(props: { preview: () => Promise<TSyncPanelState>; apply: (hash: string) => Promise<TSyncPanelState> }) {
  const [state, dispatch, pending] = useActionState(async (_state: TSyncPanelState, step: { kind: "preview" } | { kind: "apply"; hash: string }) =>
    step.kind === "preview" ? props.preview() : props.apply(step.hash), undefined);
  const run = (step: { kind: "preview" } | { kind: "apply"; hash: string }) => startTransition(() => dispatch(step));
  return (
    <div data-testid="directory-sync-panel">
      {state?.error && <div className="banner error" role="alert">{state.error}</div>}
      {state?.applied && <div className="banner ok" role="status" data-testid="sync-applied">Applied. The changes are in the audit log.</div>}
      {state?.preview && <DiffView diff={state.preview.diff} />}
      {state?.applied && <DiffView diff={state.applied.diff} />}
      <div className="actions">
        <button type="button" className={state?.preview ? undefined : "primary"} disabled={pending} onClick={() => run({ kind: "preview" })}>
          {pending ? "Reading the directory…" : state?.preview || state?.applied ? "Preview again" : "Preview sync (dry run)"}
        </button>
        {state?.preview && (
          <button type="button" className="primary" disabled={pending} onClick={() => state.preview && run({ kind: "apply", hash: state.preview.hash })}>
            Apply these changes
          </button>
        )}
      </div>
    </div>
  );
}
