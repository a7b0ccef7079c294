import { prisma } from "@/lib/db";
import { loadDashboardData } from "@/lib/auth-log/dashboard-data";
import { DashboardView } from "@/components/dashboard/dashboard-view";
import { requirePageSession } from "../_server/session";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Dashboard");

export default async function DashboardPage() {
  await requirePageSession("dashboard:read");
  const data = await loadDashboardData({ prisma });
  return (
    <>
      <h1>Dashboard</h1>
      <p className="muted">Authentications, the reasons behind rejections, and the RADIUS workers serving them.</p>
      <DashboardView initial={data} />
    </>
  );
}
