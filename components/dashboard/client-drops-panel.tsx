import { describeDropReason } from "@/lib/radius/describe-drop-reason";
import type { TClientWorkerView } from "@/lib/workers/list-client-drops";

// The RADIUS client page: this client's drops per worker and reason, and what each worker said about its row.
export function ClientDropsPanel({ workers }: { workers: TClientWorkerView[] }) {
  const problems = workers.flatMap((worker) => worker.problems.map((problem) => ({ workerId: worker.workerId, ...problem })));
  return (
    <div className="card" data-testid="client-drops">
      <h2 style={{ marginTop: 0 }}>Dropped requests, per worker</h2>
      {workers.length === 0 ? <p className="muted">No worker has reported in the last day.</p> : (
        <div className="table-wrap"><table>
          <thead><tr><th>Worker</th><th>Dropped</th><th>Why</th></tr></thead>
          <tbody>{workers.map((worker) => (
            <tr key={worker.workerId}>
              <td>{worker.workerId} {worker.alive ? null : <span className="badge bad">silent {worker.heartbeatAgeSec}s</span>}</td>
              <td>{worker.dropsTotal}</td>
              <td>{worker.drops.length === 0 ? <span className="muted">—</span> : worker.drops.map((drop) => <div key={drop.reason}><span className="mono">{drop.reason}</span> · {drop.count}<div className="muted">{describeDropReason(drop.reason)}</div></div>)}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      {problems.map((problem) => (
        <p key={`${problem.workerId}-${problem.field}`} className={`banner ${problem.skipped ? "error" : "warn"}`}>
          {problem.skipped ? "Skipped by " : "Warning from "}{problem.workerId}: {problem.message}
        </p>
      ))}
      <p className="muted">Counted since each worker process started; each reason says what it usually means.</p>
    </div>
  );
}
