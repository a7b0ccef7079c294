"use client";

import { useQuery } from "@tanstack/react-query";
import type { TDashboardData } from "@/lib/auth-log/dashboard-data";
import { describeReason } from "@/lib/auth-log/reason-messages";
import type { TAuthSummary } from "@/lib/auth-log/summarize-auth-events";
import { BarChart } from "./bar-chart";
import { WorkerHealthPanel } from "./worker-health-panel";

// A login is green or red by how it ended; a round nobody answered (yet) is neither, nor is an ACL download or CoA.
function ReasonBadge({ row }: { row: TAuthSummary["byReason"][number] }) {
  if (row.kind === "round") return <span className="badge" title="Asked for more and not answered (yet): counted neither as accepted nor as rejected">round, unanswered</span>;
  if (row.kind === "not_login") return <span className="badge" title="Not a login: not in the accepted and rejected counts">{row.result}, not a login</span>;
  return <span className={`badge ${row.result === "success" ? "ok" : "bad"}`}>{row.result}</span>;
}

// Server-rendered first, then refreshed every 10 s: worker heartbeats and counts move while the page is open.
export function DashboardView({ initial }: { initial: TDashboardData }) {
  const { data } = useQuery({
    queryKey: ["dashboard"],
    queryFn: async (): Promise<TDashboardData> => {
      const response = await fetch("/api/dashboard");
      if (!response.ok) throw new Error(`dashboard: HTTP ${response.status}`);
      return (await response.json()) as TDashboardData;
    },
    initialData: initial,
    refetchInterval: 10_000,
  });
  return (
    <>
      <div className="grid-2">
        <div className="card"><div className="muted">Accepted, last 24 h</div><div className="stat" data-testid="accepted-24h">{data.day.accepted}</div></div>
        <div className="card"><div className="muted">Rejected, last 24 h</div><div className="stat" data-testid="rejected-24h">{data.day.rejected}</div></div>
        <div className="card"><div className="muted">Accepted / rejected, 7 days</div><div className="stat">{data.week.accepted} / {data.week.rejected}</div></div>
      </div>
      <div className="grid-2">
        <div className="card"><h2 style={{ marginTop: 0 }}>Last 24 hours</h2><BarChart buckets={data.day.buckets} label="authentications per hour, last 24 h" unit="hour" /></div>
        <div className="card"><h2 style={{ marginTop: 0 }}>Last 7 days</h2><BarChart buckets={data.week.buckets} label="authentications per day, last 7 days" unit="day" /></div>
      </div>
      <div className="grid-2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>By reason (24 h)</h2>
          <p className="muted">Each login once, under the reason it ended with: a wrong code followed by the right one counts as accepted (the auth log keeps every round).</p>
          {data.day.byReason.length === 0 ? <p className="muted">No authentications in the last 24 hours.</p> : (
            <table data-testid="by-reason"><tbody>{data.day.byReason.map((row) => (
              <tr key={`${row.reason}-${row.result}`}>
                <td><span className="mono">{row.reason}</span><div className="muted">{describeReason(row.reason)}</div></td>
                <td><ReasonBadge row={row} /></td>
                <td>{row.count}</td>
              </tr>
            ))}</tbody></table>
          )}
        </div>
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Top failing (24 h)</h2>
          {data.day.topFailingUsers.length === 0 ? <p className="muted">No failures.</p> : (
            <>
              <strong>Users</strong>
              <ol>{data.day.topFailingUsers.map((row) => <li key={row.username}><a href={`/auth-log?account=${encodeURIComponent(row.username)}`}>{row.username}</a> · {row.count}</li>)}</ol>
              <strong>Clients</strong>
              <ol>{data.day.topFailingClients.map((row) => <li key={row.client}>{row.client} · {row.count}</li>)}</ol>
            </>
          )}
        </div>
      </div>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>Workers</h2>
        {data.workers.length === 0 ? <p className="muted">No worker has reported yet. Start one with npm run worker (npm start starts one too).</p> : (
          <div className="table-wrap">
            <table data-testid="workers">
              <thead><tr><th>Worker</th><th>Address</th><th>Config version</th><th>Last heartbeat</th></tr></thead>
              <tbody>{data.workers.map((worker) => (
                <tr key={worker.id}>
                  <td>{worker.id}<div className="muted">{worker.hostname}</div></td>
                  <td className="mono">{worker.address ?? "—"}</td>
                  <td>{worker.configVersion} {worker.upToDate ? <span className="badge ok">current</span> : <span className="badge warn">behind ({worker.currentConfigVersion})</span>}</td>
                  <td>{worker.alive ? <span className="badge ok">{worker.heartbeatAgeSec}s ago</span> : <span className="badge bad">silent {worker.heartbeatAgeSec}s</span>}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
      </div>
      <WorkerHealthPanel workers={data.workers} />
    </>
  );
}
