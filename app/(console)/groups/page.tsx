import Link from "next/link";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { DataTable } from "@/components/shell/data-table";
import { GroupForm } from "@/components/groups/group-forms";
import { requirePageSession } from "../../_server/session";
import { createGroupAction } from "./actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Groups");

export default async function GroupsPage() {
  const session = await requirePageSession("groups:read");
  const groups = await prisma.group.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { members: true, permittedBy: true } } } });
  return (
    <>
      <h1>Groups</h1>
      <p className="muted">Groups decide which users may use an application (Applications → permitted groups).</p>
      <DataTable
        testId="groups"
        rows={groups}
        rowKey={(group) => group.id}
        empty="No groups yet."
        columns={[
          { header: "Name", cell: (group) => <Link href={`/groups/${group.id}`}>{group.name}</Link> },
          { header: "Description", cell: (group) => group.description || <span className="muted">—</span> },
          { header: "Members", cell: (group) => group._count.members },
          { header: "Applications", cell: (group) => group._count.permittedBy },
        ]}
      />
      {roleHasPermission(session.role, "groups:write") && (
        <div className="card" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>New group</h2>
          <GroupForm action={createGroupAction} submitLabel="Create group" />
        </div>
      )}
    </>
  );
}
