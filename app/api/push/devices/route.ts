import { z } from "zod";
import { handleRoute } from "@/lib/api/handle-route";
import { prisma } from "@/lib/db";
import { createEnrollmentPasswordVerifier } from "@/lib/enrollment/verify-enrollment-password";
import { createApplicationPrimaryVerifier } from "@/lib/enrollment/verify-with-application-primary";
import { AppError } from "@/lib/errors/app-error";
import { enrollPushDevice } from "@/lib/push/enroll-push-device";

export const dynamic = "force-dynamic";

const ZBodySchema = z.object({ token: z.string().max(128) }).passthrough();

// No admin session: the one-time enrollment token and the user's primary password are the credentials.
export const POST = handleRoute(async (request: Request) => {
  const body = ZBodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) throw new AppError("VALIDATION", "Missing enrollment token");
  const verifyPassword = createEnrollmentPasswordVerifier({ prisma, external: createApplicationPrimaryVerifier({ prisma }) });
  return enrollPushDevice({ prisma, token: body.data.token, input: body.data, verifyPassword });
});
