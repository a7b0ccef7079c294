import { z } from "zod";
import { defineApiRoute, type TUnsignedApiRoute } from "./define-api-route";
import { DUO_ERRORS, duoError } from "./duo-error";

const ZNoParamsSchema = z.object({});

// GET /rest/v1/ping → "pong" (unsigned); /check → "valid"; /logo: none stored.
export const restV1Ping: TUnsignedApiRoute = { path: "/rest/v1/ping", methods: ["GET"], family: "auth", api: "rest/v1", bson: true, signed: false, respond: () => ({ response: "pong" }) };
export const restV1Check = defineApiRoute({ path: "/rest/v1/check", methods: ["GET"], family: "auth", api: "rest/v1", bson: true, kind: "auth_api", allowUndated: true, schema: ZNoParamsSchema, handle: async () => ({ response: "valid" }) });
export const restV1Logo = defineApiRoute({ path: "/rest/v1/logo", methods: ["GET"], family: "auth", api: "rest/v1", kind: "auth_api", allowUndated: true, schema: ZNoParamsSchema, handle: async () => ({ error: duoError(DUO_ERRORS.notFound, "no logo") }) });
