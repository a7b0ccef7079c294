import { prisma } from "@/lib/db";
import { DataTable, formatTime } from "@/components/shell/data-table";
import { requirePageSession } from "../../_server/session";

export default async function AuthLogPage() {
  await requirePageSession("authlog:read");
  const events = await prisma.authEvent.findMany({ orderBy: [{ time: "desc" }, { id: "desc" }], take: 100 });
  return (
    <>
      <h1>Auth log</h1>
      <DataTable
        rows={events}
        rowKey={(event) => event.id.toString()}
        empty="No authentications yet."
        columns={[
          { header: "Time", cell: (event) => formatTime(event.time) },
          { header: "User", cell: (event) => event.username },
          { header: "Result", cell: (event) => event.result },
          { header: "Reason", cell: (event) => <span className="mono">{event.reason}</span> },
        ]}
      />
    </>
  );
}
