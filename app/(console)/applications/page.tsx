import { prisma } from "@/lib/db";
import { DataTable } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";

export default async function ApplicationsPage() {
  await requirePageSession("applications:read");
  const applications = await prisma.application.findMany({ orderBy: { name: "asc" } });
  return (
    <>
      <h1>Applications</h1>
      <p className="muted">Each protected service (e.g. the AnyConnect VPN) with its primary authentication and policy.</p>
      <DataTable
        rows={applications}
        rowKey={(application) => application.id}
        empty="No applications yet."
        columns={[
          { header: "Name", cell: (application) => application.name },
          { header: "Kind", cell: (application) => <span className="badge">{application.kind}</span> },
          { header: "Integration key", cell: (application) => <span className="mono">{application.ikey}</span> },
          { header: "Primary auth", cell: (application) => application.primaryAuthMode },
        ]}
      />
    </>
  );
}
