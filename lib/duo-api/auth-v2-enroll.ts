import { z } from "zod";
import { createEnrollmentLink } from "../enrollment/create-enrollment-link";
import { AppError } from "../errors/app-error";
import { checkUsernameBytes, normalizeUsername } from "../policy/normalize-username";
import { rawParam } from "./api-username";
import { applicationPolicy } from "./application-policy";
import { buildApiEvent } from "./build-api-event";
import { checkEnrollmentAllowed } from "./check-enrollment-allowed";
import { defineApiRoute } from "./define-api-route";
import { DUO_ERRORS, duoError } from "./duo-error";

export const ZEnrollV2ParamsSchema = z.object({
  username: z.string().min(1).max(1024),
  valid_secs: z.coerce.number().int().min(60).max(30 * 86_400).optional(),
  bypass_codes: z.string().optional(), // accepted and ignored: bypass codes are issued by the helpdesk in the console
});
export const ZEnrollV2ResponseSchema = z.object({
  activation_barcode: z.string(),
  activation_code: z.string(),
  activation_url: z.string(),
  expiration: z.number().int(),
  user_id: z.string(),
  username: z.string(),
  valid_secs: z.number().int(),
});

// POST /auth/v2/enroll: a one-time enrollment link for the Twofold authenticator (its page shows the QR code), for a
// new user or one without an active authenticator whom a login would not refuse (lib/duo-api/check-enrollment-allowed.ts).
// Duo's activation code is the link's token.
export const authV2Enroll = defineApiRoute({
  path: "/auth/v2/enroll",
  methods: ["POST"],
  family: "auth",
  api: "auth/v2",
  kind: "auth_api",
  schema: ZEnrollV2ParamsSchema,
  handle: async (context) => {
    const { deps, now } = context;
    const checked = checkUsernameBytes(rawParam(context.raw, "username"));
    if (!checked.ok) return { error: duoError(DUO_ERRORS.invalidParameter, "username") };
    const policy = applicationPolicy(context.snapshot, context.application);
    const username = normalizeUsername({ username: checked.text, mode: policy.usernameNormalization });
    if (!username) return { error: duoError(DUO_ERRORS.invalidParameter, "username") };
    const existing = await deps.readUser({ username });
    if (existing && existing.activeAuthenticators > 0) return { error: duoError(DUO_ERRORS.invalidParameter, "username already enrolled") };
    const allowed = checkEnrollmentAllowed({ application: context.application, policy, user: existing, now });
    if (!allowed.ok) {
      // Logged like the login it stands in for; answered with Duo's error body (403), which every client aborts on.
      const event = buildApiEvent({ usernameRaw: checked.text, username, userId: existing?.id, applicationId: context.application.id, remoteAddress: context.request.remoteAddress, api: "auth/v2", accepted: false, reason: allowed.reason, detail: `enroll refused${allowed.detail ? `: ${allowed.detail}` : ""}` });
      await deps.record(event).catch((error: unknown) => deps.log(`auth log: ${String(error)}`));
      return { error: duoError(DUO_ERRORS.forbidden, `enrollment refused: ${allowed.reason}`) };
    }
    const user = existing ?? (await deps.prisma.user.upsert({ where: { username }, create: { username }, update: {}, select: { id: true, username: true } }));
    const validSecs = context.params.valid_secs ?? 86_400;
    // A first-factor link, like a login's: refused (here, should the user have enrolled since the read above, and when
    // used) once the user has an active authenticator.
    const link = await createEnrollmentLink({ prisma: deps.prisma, userId: user.id, createdBy: `auth_api:${context.application.name}`, ttlMinutes: Math.ceil(validSecs / 60), now, baseUrl: deps.enrollmentBaseUrl }).catch((error: unknown) => {
      if (AppError.is(error) && error.code === "CONFLICT") return undefined;
      throw error;
    });
    if (!link) return { error: duoError(DUO_ERRORS.invalidParameter, "username already enrolled") };
    const response = {
      activation_barcode: link.url,
      activation_code: link.token,
      activation_url: link.url,
      expiration: Math.floor(link.expiresAt.getTime() / 1000),
      user_id: user.id,
      username: user.username,
      valid_secs: validSecs,
    };
    return { response: ZEnrollV2ResponseSchema.parse(response) };
  },
});
