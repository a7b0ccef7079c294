import { prisma } from "@/lib/db";
import { DataTable, formatTime } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";
import { pageTitle } from "@/app/_server/page-title";

const json = (value: unknown) => (value === null || value === undefined ? "—" : JSON.stringify(value, null, 1));

export const metadata = pageTitle("Audit log");

export default async function AuditPage() {
  await requirePageSession("audit:read");
  const events = await prisma.adminAuditEvent.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200 });
  return (
    <>
      <h1>Audit</h1>
      <p className="muted">Every configuration change: who, when, what, before and after (secrets are never recorded). Newest 200.</p>
      <DataTable
        testId="audit-events"
        rows={events}
        rowKey={(event) => event.id.toString()}
        empty="No changes recorded yet."
        columns={[
          { header: "When", cell: (event) => formatTime(event.createdAt) },
          { header: "Who", cell: (event) => event.actorEmail },
          { header: "Action", cell: (event) => <span className="mono">{event.action}</span> },
          { header: "Target", cell: (event) => `${event.targetType}${event.targetId ? ` ${event.targetId.slice(0, 8)}` : ""}` },
          {
            header: "Change",
            cell: (event) => (
              <details>
                <summary>before / after</summary>
                <pre>{`before: ${json(event.before)}\nafter: ${json(event.after)}`}</pre>
              </details>
            ),
          },
        ]}
      />
    </>
  );
}
