import { z } from "zod";
import type { TApiDecision } from "./api-decision-types";
import { ZHostnameParamSchema, ZIpAddrParamSchema } from "./api-schemas";
import { apiUsernameBytes } from "./api-username";
import { textPrompt } from "./auth-v2-preauth";
import { defineApiRoute } from "./define-api-route";
import { runApiDecision } from "./run-api-decision";

export const ZPreauthV1ParamsSchema = z.object({ user: z.string().min(1).max(1024), ipaddr: ZIpAddrParamSchema, hostname: ZHostnameParamSchema, failmode: z.string().optional() });

// libduo reads `prompt` (string) and `factors` (object, `default` for autopush) on "auth", `status` otherwise.
export const ZPreauthV1ResponseSchema = z.discriminatedUnion("result", [
  z.object({ result: z.literal("auth"), prompt: z.string(), factors: z.record(z.string(), z.string()) }),
  z.object({ result: z.enum(["allow", "deny", "enroll"]), status: z.string() }),
]);

const toResponse = (decision: TApiDecision, username: string) => {
  if (decision.result !== "auth") return { result: decision.result, status: decision.statusMsg };
  const { text, factors } = textPrompt(username, decision.devices);
  return { result: "auth" as const, prompt: text, factors };
};

// POST /rest/v1/preauth(.bson): the legacy preauth of the Duo Authentication Proxy and libduo (login_duo, pam_duo).
export const restV1Preauth = defineApiRoute({
  path: "/rest/v1/preauth",
  methods: ["POST"],
  family: "auth",
  api: "rest/v1",
  bson: true,
  kind: "auth_api",
  allowUndated: true,
  schema: ZPreauthV1ParamsSchema,
  handle: async (context) => {
    const usernameBytes = await apiUsernameBytes({ ...context, params: {} }, "user");
    const { ipaddr, hostname } = context.params;
    const decision = await runApiDecision({ ...context, mode: "preauth", usernameBytes, ipaddr, hostname, remoteAddress: context.request.remoteAddress, api: "rest/v1" });
    return { response: ZPreauthV1ResponseSchema.parse(toResponse(decision, usernameBytes.toString("utf8"))) };
  },
});
