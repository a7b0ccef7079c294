import { prisma } from "@/lib/db";
import { DataTable, formatTime } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";

export default async function AdminsPage() {
  await requirePageSession("admins:read");
  const admins = await prisma.admin.findMany({ orderBy: { email: "asc" } });
  return (
    <>
      <h1>Admins</h1>
      <p className="muted">People who can sign in to this console, and what their role lets them do.</p>
      <DataTable
        rows={admins}
        rowKey={(admin) => admin.id}
        empty="No admins."
        columns={[
          { header: "Email", cell: (admin) => admin.email },
          { header: "Role", cell: (admin) => <span className="badge">{admin.role}</span> },
          { header: "Two-factor", cell: (admin) => (admin.totpEnabled ? <span className="badge ok">on</span> : <span className="badge warn">off</span>) },
          { header: "Status", cell: (admin) => (admin.disabled ? <span className="badge bad">disabled</span> : <span className="badge ok">active</span>) },
          { header: "Last sign-in", cell: (admin) => formatTime(admin.lastLoginAt) },
        ]}
      />
    </>
  );
}
