import { prisma } from "@/lib/db";
import { DataTable } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";

export default async function PrimaryAuthPage() {
  await requirePageSession("primary_auth:read");
  const servers = await prisma.primaryAuthServer.findMany({ orderBy: [{ applicationId: "asc" }, { position: "asc" }], include: { application: { select: { name: true } } } });
  return (
    <>
      <h1>Primary auth servers</h1>
      <p className="muted">Upstream RADIUS servers and LDAP directories that check the password before the second factor.</p>
      <DataTable
        rows={servers}
        rowKey={(server) => server.id}
        empty="No primary authentication servers yet."
        columns={[
          { header: "Name", cell: (server) => server.name },
          { header: "Kind", cell: (server) => <span className="badge">{server.kind}</span> },
          { header: "Host", cell: (server) => <span className="mono">{`${server.host}:${server.port}`}</span> },
          { header: "Application", cell: (server) => server.application?.name ?? <span className="muted">shared</span> },
          { header: "Timeout", cell: (server) => `${server.timeoutMs} ms × ${server.retries + 1}` },
        ]}
      />
    </>
  );
}
