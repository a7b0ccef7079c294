import type { TAuthEventView } from "@/lib/auth-log/auth-event-view";

const resultClass = (result: string) => (result === "success" ? "ok" : result === "error" ? "warn" : "bad");

// Presentational only, so the server-rendered user log and the live client-side log share it.
export function AuthEventTable({ events, empty, testId }: { events: TAuthEventView[]; empty: string; testId?: string }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>User</th>
            <th>Application / client</th>
            <th>Result</th>
            <th>Reason</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">{empty}</td>
            </tr>
          )}
          {events.map((event) => (
            <tr key={event.id} data-event-id={event.id}>
              <td className="mono">{event.time.replace("T", " ").slice(0, 19)}</td>
              <td>
                {/* From the log to the person: helpdesk's next step (unlock, bypass code) is on the user's page. */}
                {event.userId ? <a href={`/users/${event.userId}`} data-testid="event-user-link">{event.username}</a> : event.username}
                {event.usernameRaw !== event.username && <div className="muted mono">sent as {event.usernameRaw}</div>}
              </td>
              <td>
                {event.application ?? <span className="muted">—</span>}
                <div className="muted">{event.clientName ?? ""}</div>
              </td>
              <td><span className={`badge ${resultClass(event.result)}`}>{event.result}</span></td>
              <td>
                <span className="mono" data-testid="event-reason" title={event.reasonText}>{event.reason}</span>
                <div className="muted" data-testid="event-reason-text">{event.reasonText}</div>
              </td>
              <td>
                <details>
                  <summary>trace</summary>
                  <dl className="mono" style={{ margin: 0 }}>
                    <div>reason: {event.reason} — {event.reasonText}</div>
                    <div>factor: {event.factor ?? "—"}</div>
                    <div>primary: {event.primaryMs ?? "—"} ms · second factor: {event.secondFactorMs ?? "—"} ms</div>
                    <div>NAS IP: {event.nasIp ?? "—"} · calling station: {event.callingStationId ?? "—"}</div>
                    <div>worker: {event.workerId}</div>
                    <div data-testid="event-login-id">login: {event.loginId ?? "—"}</div>
                    <div>attributes: {event.attributes ? JSON.stringify(event.attributes) : "—"}</div>
                  </dl>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
