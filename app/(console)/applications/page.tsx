import Link from "next/link";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { DataTable } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Applications");

export default async function ApplicationsPage() {
  const session = await requirePageSession("applications:read");
  const applications = await prisma.application.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { radiusClients: true, permittedGroups: true } }, policy: { select: { id: true } } },
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Applications</h1>
          <p className="muted">Each protected service (e.g. the AnyConnect VPN) with its primary authentication and policy.</p>
        </div>
        {roleHasPermission(session.role, "applications:write") && (
          <Link className="button primary" href="/applications/new">
            Add application
          </Link>
        )}
      </div>
      <DataTable
        testId="applications"
        rows={applications}
        rowKey={(application) => application.id}
        empty="No applications yet. Add one for each VPN or service you protect."
        columns={[
          { header: "Name", cell: (application) => <Link href={`/applications/${application.id}`}>{application.name}</Link> },
          { header: "Kind", cell: (application) => <span className="badge">{application.kind === "radius" ? "RADIUS" : "Auth API"}</span> },
          { header: "Integration key", cell: (application) => <span className="mono">{application.ikey}</span> },
          { header: "Primary auth", cell: (application) => application.primaryAuthMode },
          { header: "RADIUS clients", cell: (application) => application._count.radiusClients },
          { header: "Groups", cell: (application) => (application._count.permittedGroups ? application._count.permittedGroups : "everyone") },
          { header: "Policy", cell: (application) => (application.policy ? <span className="badge warn">override</span> : "global") },
        ]}
      />
    </>
  );
}
