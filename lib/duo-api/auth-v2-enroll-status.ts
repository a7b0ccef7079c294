import { z } from "zod";
import { hashToken } from "../crypto/tokens";
import { defineApiRoute } from "./define-api-route";

export const ZEnrollStatusV2ParamsSchema = z.object({ user_id: z.string().min(1).max(64), activation_code: z.string().min(1).max(200) });
export const ZEnrollStatusV2ResponseSchema = z.enum(["success", "waiting", "invalid"]);

// POST /auth/v2/enroll_status: has the link from /enroll been used to enroll yet.
export const authV2EnrollStatus = defineApiRoute({
  path: "/auth/v2/enroll_status",
  methods: ["POST"],
  family: "auth",
  api: "auth/v2",
  kind: "auth_api",
  schema: ZEnrollStatusV2ParamsSchema,
  handle: async (context) => {
    const link = await context.deps.prisma.enrollmentLink.findUnique({ where: { tokenHash: hashToken(context.params.activation_code) }, select: { userId: true, usedAt: true, expiresAt: true } });
    const status = !link || link.userId !== context.params.user_id ? "invalid" : link.usedAt ? "success" : link.expiresAt > context.now ? "waiting" : "invalid";
    return { response: ZEnrollStatusV2ResponseSchema.parse(status) };
  },
});
