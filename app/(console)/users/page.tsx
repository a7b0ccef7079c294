import { prisma } from "@/lib/db";
import { DataTable, formatTime } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";

export default async function UsersPage() {
  await requirePageSession("users:read");
  const users = await prisma.user.findMany({ orderBy: { username: "asc" }, take: 200 });
  return (
    <>
      <h1>Users</h1>
      <p className="muted">People who authenticate through Twofold.</p>
      <DataTable
        rows={users}
        rowKey={(user) => user.id}
        empty="No users yet. Users appear here when created, imported, or when they first authenticate."
        columns={[
          { header: "Username", cell: (user) => user.username },
          { header: "Email", cell: (user) => user.email ?? "—" },
          { header: "Status", cell: (user) => <span className="badge">{user.status}</span> },
          { header: "Last seen", cell: (user) => formatTime(user.lastSeenAt) },
        ]}
      />
    </>
  );
}
