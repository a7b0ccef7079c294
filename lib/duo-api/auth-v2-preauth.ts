import { z } from "zod";
import type { TApiDecision, TApiDevice } from "./api-decision-types";
import { ZHostnameParamSchema, ZIpAddrParamSchema, ZUserIdParamSchema, ZUsernameParamSchema } from "./api-schemas";
import { apiUsernameBytes } from "./api-username";
import { defineApiRoute } from "./define-api-route";
import { runApiDecision } from "./run-api-decision";

export const ZPreauthV2ParamsSchema = z.object({
  username: ZUsernameParamSchema,
  user_id: ZUserIdParamSchema,
  ipaddr: ZIpAddrParamSchema,
  hostname: ZHostnameParamSchema,
  trusted_device_token: z.string().optional(),
  text_prompt: z.string().optional(),
  client_supports_verified_push: z.string().optional(),
});

const ZDeviceSchema = z.object({ device: z.string(), type: z.enum(["phone", "token"]), name: z.string(), display_name: z.string(), capabilities: z.array(z.string()) });
export const ZPreauthV2ResponseSchema = z.discriminatedUnion("result", [
  z.object({ result: z.literal("auth"), status_msg: z.string(), devices: z.array(ZDeviceSchema), prompt: z.object({ text: z.string(), factors: z.record(z.string(), z.string()) }).optional() }),
  z.object({ result: z.literal("allow"), status_msg: z.string() }),
  z.object({ result: z.literal("deny"), status_msg: z.string() }),
  z.object({ result: z.literal("enroll"), status_msg: z.string(), enroll_portal_url: z.string() }),
]);

// The menu newer libduo (duo_unix 2.x, text_prompt=1) prints, and the choices its options map to.
export const textPrompt = (username: string, devices: readonly TApiDevice[]) => {
  const phones = devices.filter((device) => device.type === "phone");
  const factors: Record<string, string> = {};
  const lines = phones.map((device, index) => {
    factors[String(index + 1)] = `push${index + 1}`;
    return `  ${index + 1}. Duo Push to ${device.name}`;
  });
  if (phones.length > 0) factors.default = "push1";
  const text = phones.length > 0 ? `Duo login for ${username}\n\nChoose or lose:\n\n${lines.join("\n")}\n\nPasscode or option (1-${phones.length}): ` : `Duo login for ${username}\n\nPasscode: `;
  return { text, factors };
};

const toResponse = (decision: TApiDecision, username: string, withPrompt: boolean) => {
  switch (decision.result) {
    case "auth": {
      const devices = decision.devices.map((device) => ({ device: device.id, type: device.type, name: device.name, display_name: device.name, capabilities: device.capabilities }));
      return { result: "auth" as const, status_msg: decision.statusMsg, devices, ...(withPrompt ? { prompt: textPrompt(username, decision.devices) } : {}) };
    }
    case "enroll":
      return { result: "enroll" as const, status_msg: decision.statusMsg, enroll_portal_url: decision.enrollmentUrl };
    default:
      return { result: decision.result, status_msg: decision.statusMsg };
  }
};

// POST /auth/v2/preauth: may this user log in, and with what — or must they enroll first.
export const authV2Preauth = defineApiRoute({
  path: "/auth/v2/preauth",
  methods: ["POST"],
  family: "auth",
  api: "auth/v2",
  kind: "auth_api",
  schema: ZPreauthV2ParamsSchema,
  handle: async (context) => {
    const usernameBytes = await apiUsernameBytes(context, "username");
    const { ipaddr, hostname } = context.params;
    const decision = await runApiDecision({ ...context, mode: "preauth", usernameBytes, ipaddr, hostname, remoteAddress: context.request.remoteAddress, api: "auth/v2" });
    return { response: ZPreauthV2ResponseSchema.parse(toResponse(decision, usernameBytes.toString("utf8"), context.params.text_prompt === "1")) };
  },
});
