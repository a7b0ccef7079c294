import { describeDropReason } from "@/lib/radius/describe-drop-reason";
import type { TWorkerHealth } from "@/lib/workers/read-worker-health";

type TWorkerRow = { id: string; alive: boolean; health: TWorkerHealth };

const UUID = /^[0-9a-f-]{36}$/i;

// Per worker (lib/workers/read-worker-health.ts, from its heartbeat): the configuration rows its snapshot loader skipped or warns about, and its drops per RADIUS client and
// reason (a clashing client with another secret shows up here as bad_message_authenticator drops). Live workers only:
// a silent one's counters are history.
export function WorkerHealthPanel({ workers }: { workers: TWorkerRow[] }) {
  const rows = workers.filter((worker) => worker.alive).map((worker) => ({ id: worker.id, ...worker.health }));
  const drops = rows.flatMap((row) =>
    Object.entries(row.droppedByClient).flatMap(([clientId, entry]) => Object.entries(entry.reasons).map(([reason, count]) => ({ workerId: row.id, clientId, name: entry.name, reason, count }))),
  );
  const unknown = rows.flatMap((row) => (row.dropped.unknown_client ? [{ workerId: row.id, count: row.dropped.unknown_client }] : []));
  const problems = rows.flatMap((row) => row.configProblems.map((problem) => ({ workerId: row.id, ...problem })));
  return (
    <div className="grid-2">
      <div className="card" data-testid="worker-config-problems">
        <h2 style={{ marginTop: 0 }}>Configuration problems</h2>
        {problems.length === 0 ? <p className="muted">No worker reports a configuration problem.</p> : (
          <table><tbody>{problems.map((problem) => (
            <tr key={`${problem.workerId}-${problem.table}-${problem.rowId}-${problem.field}`}>
              <td>{problem.skipped ? <span className="badge bad">skipped</span> : <span className="badge warn">warning</span>}</td>
              <td>{problem.message}<div className="muted">{problem.workerId}</div></td>
            </tr>
          ))}</tbody></table>
        )}
      </div>
      <div className="card" data-testid="worker-client-drops">
        <h2 style={{ marginTop: 0 }}>Dropped requests by client</h2>
        {drops.length === 0 && unknown.length === 0 ? <p className="muted">No worker has dropped a request since it started.</p> : (
          <div className="table-wrap"><table>
            <thead><tr><th>Client</th><th>Reason</th><th>Dropped</th><th>Worker</th></tr></thead>
            <tbody>
              {drops.map((row) => (
                <tr key={`${row.workerId}-${row.clientId}-${row.reason}`}>
                  <td>{UUID.test(row.clientId) ? <a href={`/radius-clients/${row.clientId}`}>{row.name}</a> : row.name}</td>
                  <td><span className="mono">{row.reason}</span><div className="muted">{describeDropReason(row.reason)}</div></td><td>{row.count}</td><td className="muted">{row.workerId}</td>
                </tr>
              ))}
              {unknown.map((row) => (
                <tr key={`${row.workerId}-unknown`}><td className="muted">no matching client</td><td><span className="mono">unknown_client</span><div className="muted">{describeDropReason("unknown_client")}</div></td><td>{row.count}</td><td className="muted">{row.workerId}</td></tr>
              ))}
            </tbody>
          </table></div>
        )}
      </div>
    </div>
  );
}
