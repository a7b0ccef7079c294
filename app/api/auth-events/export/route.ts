import { prisma } from "@/lib/db";
import { requirePermission } from "@/lib/auth/require-permission";
import { handleRoute } from "@/lib/api/handle-route";
import { queryAuthEvents, type TAuthEventCursor } from "@/lib/auth-log/query-auth-events";
import { authEventCsvHeader, authEventCsvLine, toAuthEventView } from "@/lib/auth-log/auth-event-view";
import { getSession } from "../../../_server/session";
import { filterFromParams } from "../../../_server/auth-event-filter";

export const dynamic = "force-dynamic";

const MAX_ROWS = 1_000_000;

// Streams the current filter as CSV page by page over the keyset, so a big export never sits in memory.
export const GET = handleRoute(async (request: Request) => {
  requirePermission(await getSession(), "authlog:read");
  const filter = filterFromParams(new URL(request.url).searchParams);
  const encoder = new TextEncoder();
  let before: TAuthEventCursor | undefined;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(encoder.encode(authEventCsvHeader())),
    pull: async (controller) => {
      const { rows } = await queryAuthEvents({ prisma, filter, before, take: 500 });
      const last = rows.at(-1);
      if (!last || sent >= MAX_ROWS || request.signal.aborted) return controller.close();
      controller.enqueue(encoder.encode(rows.map((row) => authEventCsvLine(toAuthEventView(row))).join("")));
      sent += rows.length;
      before = { time: last.time, id: last.id };
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(stream, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="twofold-auth-log-${stamp}.csv"` } });
});
