import { z } from "zod";
import type { TApiDecision } from "./api-decision-types";
import { isSet, ZFlagParamSchema, ZHostnameParamSchema, ZIpAddrParamSchema, ZPushInfoParamSchema, ZUserIdParamSchema, ZUsernameParamSchema } from "./api-schemas";
import { apiUsernameBytes } from "./api-username";
import { defineApiRoute } from "./define-api-route";
import { devicesOf, respondAuth, statusOf } from "./respond-auth";
import { v2Factor } from "./to-api-factor";

export const ZAuthV2ParamsSchema = z.object({
  username: ZUsernameParamSchema,
  user_id: ZUserIdParamSchema,
  factor: z.string().min(1).max(32),
  device: z.string().max(64).optional(),
  passcode: z.string().max(64).optional(),
  prompt: z.string().max(64).optional(), // factor=prompt (duo_unix 2.x): the menu choice ("push1") or the typed passcode
  async: ZFlagParamSchema,
  ipaddr: ZIpAddrParamSchema,
  hostname: ZHostnameParamSchema,
  type: z.string().optional(),
  display_username: z.string().optional(),
  pushinfo: ZPushInfoParamSchema,
});

export const ZAuthV2ResponseSchema = z.union([
  z.object({ result: z.enum(["allow", "deny"]), status: z.string(), status_msg: z.string() }),
  z.object({ txid: z.string() }),
]);

export const authV2Result = (decision: TApiDecision) => ({ result: decision.result === "allow" ? ("allow" as const) : ("deny" as const), status: statusOf(decision), status_msg: decision.statusMsg });

// POST /auth/v2/auth: factor auto | push (device) | passcode (passcode) | prompt (prompt, duo_unix 2.x); phone and
// sms are refused (no telephony).
export const authV2Auth = defineApiRoute({
  path: "/auth/v2/auth",
  methods: ["POST"],
  family: "auth",
  api: "auth/v2",
  kind: "auth_api",
  schema: ZAuthV2ParamsSchema,
  handle: async (context) => {
    const usernameBytes = await apiUsernameBytes(context, "username");
    const { params } = context;
    const factor = await v2Factor(params, () => devicesOf(context, usernameBytes));
    const result = await respondAuth({ context, api: "auth/v2", usernameBytes, factor, async: isSet(params.async), ipaddr: params.ipaddr, hostname: params.hostname, pushinfo: params.pushinfo, shape: authV2Result });
    return "error" in result ? result : { response: ZAuthV2ResponseSchema.parse(result.response) };
  },
});
