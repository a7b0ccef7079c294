import { prisma } from "@/lib/db";
import { requirePermission } from "@/lib/auth/require-permission";
import { handleRoute } from "@/lib/api/handle-route";
import { decodeCursor, queryAuthEvents } from "@/lib/auth-log/query-auth-events";
import { toAuthEventView } from "@/lib/auth-log/auth-event-view";
import { getSession } from "../../_server/session";
import { filterFromParams } from "../../_server/auth-event-filter";

export const dynamic = "force-dynamic";

export const GET = handleRoute(async (request: Request) => {
  requirePermission(await getSession(), "authlog:read");
  const params = new URL(request.url).searchParams;
  const { rows, nextCursor } = await queryAuthEvents({ prisma, filter: filterFromParams(params), before: decodeCursor(params.get("before") ?? undefined), take: 50 });
  return { events: rows.map(toAuthEventView), nextCursor };
});
