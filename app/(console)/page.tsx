import { prisma } from "@/lib/db";
import { requirePageSession } from "../_server/session";

export default async function DashboardPage() {
  await requirePageSession("dashboard:read");
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const [accepted, rejected, clients] = await Promise.all([
    prisma.authEvent.count({ where: { time: { gte: since }, result: "success" } }),
    prisma.authEvent.count({ where: { time: { gte: since }, result: { not: "success" } } }),
    prisma.radiusClient.count(),
  ]);
  return (
    <>
      <h1>Dashboard</h1>
      <div className="grid-2">
        <div className="card"><div className="muted">Accepted, last 24 h</div><div className="stat">{accepted}</div></div>
        <div className="card"><div className="muted">Rejected, last 24 h</div><div className="stat">{rejected}</div></div>
        <div className="card"><div className="muted">RADIUS clients</div><div className="stat">{clients}</div></div>
      </div>
    </>
  );
}
