import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { DataTable, formatTime } from "@/components/shell/data-table";
import { AdminRowForm, InviteAdminForm } from "@/components/admins/admin-forms";
import { requirePageSession } from "../../_server/session";
import { inviteAdminAction, updateAdminAction } from "./actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Admins");

export default async function AdminsPage() {
  const session = await requirePageSession("admins:read");
  const admins = await prisma.admin.findMany({ orderBy: { email: "asc" } });
  const canWrite = roleHasPermission(session.role, "admins:write");
  return (
    <>
      <h1>Admins</h1>
      <p className="muted">People who can sign in to this console, and what their role lets them do. Only owners manage admins.</p>
      <DataTable
        testId="admins"
        rows={admins}
        rowKey={(admin) => admin.id}
        empty="No admins."
        columns={[
          { header: "Email", cell: (admin) => <>{admin.email}{admin.id === session.adminId && <span className="muted"> (you)</span>}</> },
          { header: "Two-factor", cell: (admin) => (admin.totpEnabled ? <span className="badge ok">on</span> : <span className="badge warn">not set up</span>) },
          { header: "Last sign-in", cell: (admin) => formatTime(admin.lastLoginAt) },
          {
            header: "Role and status",
            cell: (admin) =>
              canWrite ? (
                <AdminRowForm action={updateAdminAction.bind(null, admin.id)} role={admin.role} disabled={admin.disabled} />
              ) : (
                <>
                  <span className="badge">{admin.role}</span> {admin.disabled ? <span className="badge bad">disabled</span> : <span className="badge ok">active</span>}
                </>
              ),
          },
        ]}
      />
      {canWrite && (
        <div className="card" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>Invite an admin</h2>
          <InviteAdminForm action={inviteAdminAction} />
        </div>
      )}
    </>
  );
}
