import Link from "next/link";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { searchUsers } from "@/lib/users/search-users";
import { DataTable, formatTime } from "@/components/shell/data-table";
import { StatusBadge } from "@/components/users/status-badge";
import { requirePageSession } from "../../_server/session";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Users");

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const session = await requirePageSession("users:read");
  const { q } = await searchParams;
  const users = await searchUsers({ prisma, query: q });
  const canWrite = roleHasPermission(session.role, "users:write");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted">People who authenticate through Twofold. Users also appear when they first log in.</p>
        </div>
        {canWrite && (
          <div className="actions">
            <Link className="button" href="/users/import">Import CSV</Link>
            <Link className="button" href="/users/import-tokens">Import hardware tokens</Link>
            <Link className="button" href="/users/enrollment-mail">Email enrollment links</Link>
            <Link className="button primary" href="/users/new">Add user</Link>
          </div>
        )}
      </div>
      <form className="filters" role="search" method="get">
        <div className="field" style={{ flex: 1 }}>
          <label htmlFor="q">Search</label>
          <input id="q" name="q" type="search" defaultValue={q} placeholder="Username, email or group" />
        </div>
        <button type="submit">Search</button>
      </form>
      <DataTable
        testId="users"
        rows={users}
        rowKey={(user) => user.id}
        empty={q ? `No user matches "${q}".` : "No users yet."}
        columns={[
          { header: "Username", cell: (user) => <Link href={`/users/${user.id}`}>{user.username}</Link> },
          { header: "Email", cell: (user) => user.email ?? <span className="muted">—</span> },
          { header: "Groups", cell: (user) => user.groups.map((member) => member.group.name).join(", ") || <span className="muted">—</span> },
          { header: "Status", cell: (user) => <StatusBadge status={user.status} /> },
          { header: "Authenticators", cell: (user) => user._count.authenticators },
          { header: "Last seen", cell: (user) => formatTime(user.lastSeenAt) },
        ]}
      />
    </>
  );
}
