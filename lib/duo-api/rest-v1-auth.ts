import { z } from "zod";
import type { TApiDecision } from "./api-decision-types";
import { isSet, ZFlagParamSchema, ZHostnameParamSchema, ZIpAddrParamSchema, ZPushInfoParamSchema } from "./api-schemas";
import { apiUsernameBytes } from "./api-username";
import { defineApiRoute } from "./define-api-route";
import { respondAuth } from "./respond-auth";
import { v1Factor } from "./to-api-factor";

export const ZAuthV1ParamsSchema = z.object({
  user: z.string().min(1).max(1024),
  factor: z.string().min(1).max(32),
  auto: z.string().max(64).optional(),
  code: z.string().max(64).optional(),
  phone: z.string().max(16).optional(),
  async: ZFlagParamSchema,
  ipaddr: ZIpAddrParamSchema,
  hostname: ZHostnameParamSchema,
  pushinfo: ZPushInfoParamSchema,
});

export const ZAuthV1ResponseSchema = z.union([z.object({ result: z.enum(["allow", "deny"]), status: z.string() }), z.object({ txid: z.string() })]);

export const authV1Result = (decision: TApiDecision) => ({ result: decision.result === "allow" ? ("allow" as const) : ("deny" as const), status: decision.statusMsg });

// POST /rest/v1/auth(.bson): factor auto (auto=push1 / the typed passcode), passcode (code), push (phone=phoneN).
export const restV1Auth = defineApiRoute({
  path: "/rest/v1/auth",
  methods: ["POST"],
  family: "auth",
  api: "rest/v1",
  bson: true,
  kind: "auth_api",
  allowUndated: true,
  schema: ZAuthV1ParamsSchema,
  handle: async (context) => {
    const usernameBytes = await apiUsernameBytes({ ...context, params: {} }, "user");
    const { params } = context;
    const result = await respondAuth({ context, api: "rest/v1", usernameBytes, factor: v1Factor(params), async: isSet(params.async), ipaddr: params.ipaddr, hostname: params.hostname, pushinfo: params.pushinfo, shape: authV1Result });
    return "error" in result ? result : { response: ZAuthV1ResponseSchema.parse(result.response) };
  },
});
