import { z } from "zod";
import { handleRoute } from "@/lib/api/handle-route";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { decidePush } from "@/lib/push/decide-push";
import { ZPushDecisionSchema } from "@/lib/push/push-schemas";

export const dynamic = "force-dynamic";

const ZBodySchema = z.object({
  deviceId: z.uuid(),
  requestId: z.uuid(),
  decision: ZPushDecisionSchema,
  number: z.string().max(3).nullable().optional(),
  signature: z.string().min(1).max(200),
});

// The device's signature is the credential; decidePush checks it against that device's registered key.
export const POST = handleRoute(async (request: Request) => {
  const body = ZBodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) throw new AppError("VALIDATION", "Malformed decision");
  const result = await decidePush({ prisma, ...body.data, now: new Date() });
  if (!result.ok) throw new AppError(result.reason === "already_decided" ? "CONFLICT" : "FORBIDDEN", result.reason === "already_decided" ? "This request was already answered or has expired." : "This device cannot answer this request.");
  return result;
});
