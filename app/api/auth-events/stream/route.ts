import { prisma } from "@/lib/db";
import { requirePermission } from "@/lib/auth/require-permission";
import { handleRoute } from "@/lib/api/handle-route";
import { decodeCursor, queryAuthEvents, type TAuthEventCursor } from "@/lib/auth-log/query-auth-events";
import { toAuthEventView } from "@/lib/auth-log/auth-event-view";
import { getSession } from "../../../_server/session";
import { filterFromParams } from "../../../_server/auth-event-filter";

export const dynamic = "force-dynamic";

const POLL_MS = 500;

// Server-sent events: every half second, whatever matches the filter and is newer than the last row sent. Polling the
// (time, id) index is cheap and needs no extra connection per reader (LISTEN would hold one each).
export const GET = handleRoute(async (request: Request) => {
  requirePermission(await getSession(), "authlog:read");
  const url = new URL(request.url);
  const filter = filterFromParams(url.searchParams);
  let cursor: TAuthEventCursor | undefined = decodeCursor(url.searchParams.get("after") ?? undefined);
  if (!cursor) {
    const newest = await prisma.authEvent.findFirst({ orderBy: [{ time: "desc" }, { id: "desc" }], select: { time: true, id: true } });
    cursor = newest ?? { time: new Date(0), id: 0n };
  }
  const encoder = new TextEncoder();
  // The reader leaving (a page change) cancels the stream; the request's signal does not always fire then, so the
  // loop also ends on cancel instead of polling for nobody, and never writes to the closed stream.
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    cancel: () => {
      cancelled = true;
    },
    start: async (controller) => {
      const send = (text: string) => {
        if (!cancelled) controller.enqueue(encoder.encode(text));
      };
      send(": connected\n\n");
      while (!request.signal.aborted && !cancelled) {
        try {
          const { rows } = await queryAuthEvents({ prisma, filter, after: cursor, take: 200 });
          if (rows.length > 0) {
            const first = rows[0];
            if (first) cursor = { time: first.time, id: first.id };
            send(`data: ${JSON.stringify(rows.map(toAuthEventView))}\n\n`);
          } else send(": idle\n\n");
        } catch (error) {
          console.error("[twofold] auth log stream", error);
          send("event: problem\ndata: database unavailable, retrying\n\n");
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (!cancelled) controller.close();
    },
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" } });
});
