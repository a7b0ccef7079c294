import { z } from "zod";
import type { TUnsignedApiRoute } from "./define-api-route";
import { defineApiRoute } from "./define-api-route";
import { DUO_ERRORS, duoError } from "./duo-error";

const unix = (now: Date) => Math.floor(now.getTime() / 1000);
const ZNoParamsSchema = z.object({});

// GET /auth/v2/ping: the liveness check, unsigned like Duo's.
export const authV2Ping: TUnsignedApiRoute = { path: "/auth/v2/ping", methods: ["GET"], family: "auth", api: "auth/v2", signed: false, respond: (now) => ({ response: { time: unix(now) } }) };

// GET /auth/v2/check: the ikey, skey and signature are right.
export const authV2Check = defineApiRoute({ path: "/auth/v2/check", methods: ["GET"], family: "auth", api: "auth/v2", kind: "auth_api", schema: ZNoParamsSchema, handle: async (context) => ({ response: { time: unix(context.now) } }) });

// GET /auth/v2/logo: Twofold stores no logo.
export const authV2Logo = defineApiRoute({ path: "/auth/v2/logo", methods: ["GET"], family: "auth", api: "auth/v2", kind: "auth_api", schema: ZNoParamsSchema, handle: async () => ({ error: duoError(DUO_ERRORS.notFound, "no logo") }) });
