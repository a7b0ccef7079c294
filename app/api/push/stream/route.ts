import { handleRoute } from "@/lib/api/handle-route";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { authenticateDeviceStream } from "@/lib/push/authenticate-device-stream";
import { listPendingPushes } from "@/lib/push/list-pending-pushes";
import { getPushListener } from "../_server/listener";

export const dynamic = "force-dynamic";

// Server-sent events for an open authenticator: the pending requests now, then again whenever a push is sent to this
// user or one of the listed requests is decided, cancelled or expires (NOTIFY on the shared LISTEN connection, no
// polling). A comment every 25 s keeps proxies from closing it.
export const GET = handleRoute(async (request: Request) => {
  const url = new URL(request.url);
  const device = await authenticateDeviceStream({
    prisma,
    deviceId: url.searchParams.get("device") ?? "",
    timestampMs: Number(url.searchParams.get("ts")),
    signature: url.searchParams.get("sig") ?? "",
    now: new Date(),
  });
  if (!device) throw new AppError("UNAUTHORIZED", "Unknown device or stale signature");
  const listener = await getPushListener();
  const encoder = new TextEncoder();
  let cleanup = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    start: (controller) => {
      let closed = false;
      let watch = new AbortController();
      const send = async () => {
        try {
          const pending = await listPendingPushes({ prisma, userId: device.userId, now: new Date() });
          if (closed) return;
          controller.enqueue(encoder.encode(`event: pending\ndata: ${JSON.stringify(pending)}\n\n`));
          watch.abort();
          const current = (watch = new AbortController());
          for (const item of pending) void listener.nextEvent(item.requestId, current.signal).then(() => !current.signal.aborted && !closed && void send());
        } catch (error) {
          console.error("[twofold] push stream", error);
        }
      };
      const unsubscribe = listener.onNewRequest(device.userId, () => void send());
      const keepAlive = setInterval(() => !closed && controller.enqueue(encoder.encode(": keep-alive\n\n")), 25_000);
      cleanup = () => {
        if (closed) return;
        closed = true;
        watch.abort();
        unsubscribe();
        clearInterval(keepAlive);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", cleanup, { once: true });
      void send();
    },
    cancel: () => cleanup(),
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" } });
});
