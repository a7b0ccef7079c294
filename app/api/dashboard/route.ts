import { prisma } from "@/lib/db";
import { requirePermission } from "@/lib/auth/require-permission";
import { handleRoute } from "@/lib/api/handle-route";
import { loadDashboardData } from "@/lib/auth-log/dashboard-data";
import { getSession } from "../../_server/session";

export const dynamic = "force-dynamic";

export const GET = handleRoute(async () => {
  requirePermission(await getSession(), "dashboard:read");
  return loadDashboardData({ prisma });
});
