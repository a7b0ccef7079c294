import Link from "next/link";
import { CopyButton } from "../forms/copy-button";

// The generated Cisco ASA configuration, with what the console could not know said beside it (no reachable worker
// address yet, several candidates) instead of a made-up value in the text.
export function AsaSnippetCard(props: { snippet: string; notes: string[]; split: boolean; canSplit: boolean; applicationId: string }) {
  const base = `/applications/${props.applicationId}`;
  return (
    <div className="card">
      <h2 style={{ marginTop: 0 }}>Cisco ASA configuration</h2>
      <p className="muted">
        Paste on the ASA; replace <code>*****</code> with the RADIUS client&apos;s shared secret and the tunnel group with yours. ISE&apos;s CoA and
        Disconnect reach the ASA through Twofold (<code>dynamic-authorization</code>, the RADIUS client&apos;s CoA port); accounting goes to Twofold,
        which forwards it upstream.
      </p>
      {props.notes.length > 0 && (
        <div className="banner warn" data-testid="asa-notes">
          {props.notes.map((note) => (
            <div key={note}>{note}</div>
          ))}
        </div>
      )}
      {props.canSplit && (
        <p>
          {props.split ? (
            <Link href={base}>Authentication and authorization by Twofold</Link>
          ) : (
            <Link href={`${base}?asa=split`}>Authorization by ISE instead (split authentication / authorization)</Link>
          )}
        </p>
      )}
      <pre data-testid="asa-snippet">{props.snippet}</pre>
      <CopyButton text={props.snippet} label="Copy configuration" />
    </div>
  );
}
