import { handleRoute } from "@/lib/api/handle-route";
import { prisma } from "@/lib/db";
import { getVapidKeys } from "@/lib/push/vapid-keys";

export const dynamic = "force-dynamic";

// The application server key a browser needs for PushManager.subscribe (public by design).
export const GET = handleRoute(async () => ({ publicKey: (await getVapidKeys({ prisma })).publicKey }));
