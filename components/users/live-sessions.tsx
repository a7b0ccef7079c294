import { ActionForm } from "@/components/forms/action-form";
import type { TFormAction } from "@/components/forms/form-state";
import { formatTime } from "@/components/shell/data-table";
import type { TLiveSession } from "@/lib/coa/list-live-sessions";

// The row as lib/coa reads it; one type for both sides.
export type TLiveSessionRow = TLiveSession;

// The user's live NAS sessions (accounting Start without Stop), each with a Disconnect when the admin may use it.
export function LiveSessions(props: { username: string; sessions: TLiveSessionRow[]; disconnect?: (sessionId: string) => TFormAction }) {
  if (props.sessions.length === 0) return <p className="muted">No live sessions reported by accounting.</p>;
  return (
    <table data-testid="live-sessions">
      <thead>
        <tr>
          <th>NAS</th>
          <th>Session</th>
          <th>Address</th>
          <th>Client</th>
          <th>Started</th>
          <th>Last update</th>
          {props.disconnect && <th />}
        </tr>
      </thead>
      <tbody>
        {props.sessions.map((session) => (
          <tr key={session.id}>
            <td>
              {session.clientName} <span className="muted">{session.nasAddress}</span>
            </td>
            <td>{session.acctSessionId}</td>
            <td>{session.framedIp ?? "—"}</td>
            <td>{session.callingStationId ?? "—"}</td>
            <td>{formatTime(session.startedAt)}</td>
            <td>{formatTime(session.updatedAt)}</td>
            {props.disconnect && (
              <td>
                <ActionForm
                  action={props.disconnect(session.id)}
                  submitLabel="Disconnect"
                  pendingLabel="Disconnecting…"
                  danger
                  confirm={`Disconnect ${props.username}'s session ${session.acctSessionId} on ${session.clientName}?`}
                  className="actions"
                  testId={`disconnect-${session.acctSessionId}`}
                />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
