import Link from "next/link";
import { prisma } from "@/lib/db";
import { findIgnoringApplications } from "@/lib/primary-auth/find-ignoring-applications";
import { roleHasPermission } from "@/lib/auth/permissions";
import { DataTable } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Primary auth");

export default async function PrimaryAuthPage() {
  const session = await requirePageSession("primary_auth:read");
  const [servers, ignoring] = await Promise.all([
    prisma.primaryAuthServer.findMany({ orderBy: [{ applicationId: "asc" }, { position: "asc" }], include: { application: { select: { name: true } } } }),
    findIgnoringApplications({ prisma }),
  ]);
  const ignoredBy = new Map(ignoring.map((row) => [row.serverId, row.warning]));
  const canWrite = roleHasPermission(session.role, "primary_auth:write");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Primary auth servers</h1>
          <p className="muted">Upstream RADIUS servers and LDAP directories that check the password before the second factor.</p>
        </div>
        {canWrite && <Link className="button primary" href="/primary-auth/new">Add server</Link>}
      </div>
      <DataTable
        testId="primary-auth-servers"
        rows={servers}
        rowKey={(server) => server.id}
        empty="No primary authentication servers yet."
        columns={[
          { header: "Name", cell: (server) => (canWrite ? <Link href={`/primary-auth/${server.id}`}>{server.name}</Link> : server.name) },
          { header: "Kind", cell: (server) => <span className="badge">{server.kind}</span> },
          { header: "Host", cell: (server) => <span className="mono">{`${server.host}:${server.port}`}</span> },
          {
            header: "Application",
            cell: (server) => {
              const ignored = ignoredBy.get(server.id);
              return (
                <>
                  {server.application?.name ?? <span className="muted">none</span>}
                  {ignored && <div><span className="badge warn" title={ignored} data-testid="server-ignored">checks no passwords here</span></div>}
                </>
              );
            },
          },
          { header: "Order", cell: (server) => server.position },
          { header: "Timeout", cell: (server) => `${server.timeoutMs} ms × ${server.retries + 1}` },
        ]}
      />
    </>
  );
}
