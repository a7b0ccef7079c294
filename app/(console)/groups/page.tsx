import { prisma } from "@/lib/db";
import { DataTable } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";

export default async function GroupsPage() {
  await requirePageSession("groups:read");
  const groups = await prisma.group.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { members: true } } } });
  return (
    <>
      <h1>Groups</h1>
      <p className="muted">Groups decide which users may use an application.</p>
      <DataTable
        rows={groups}
        rowKey={(group) => group.id}
        empty="No groups yet."
        columns={[
          { header: "Name", cell: (group) => group.name },
          { header: "Description", cell: (group) => group.description || <span className="muted">—</span> },
          { header: "Members", cell: (group) => group._count.members },
        ]}
      />
    </>
  );
}
