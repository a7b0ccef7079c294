import { z } from "zod";
import { ZTxidParamSchema } from "./api-schemas";
import { authV2Result } from "./auth-v2-auth";
import { defineApiRoute } from "./define-api-route";
import { DUO_ERRORS, duoError } from "./duo-error";

export const ZAuthStatusV2ParamsSchema = z.object({ txid: ZTxidParamSchema });
export const ZAuthStatusV2ResponseSchema = z.object({ result: z.enum(["waiting", "allow", "deny"]), status: z.string(), status_msg: z.string() });

// GET /auth/v2/auth_status?txid=: long-polls an async=1 login (see lib/duo-api/api-transactions.ts).
export const authV2AuthStatus = defineApiRoute({
  path: "/auth/v2/auth_status",
  methods: ["GET"],
  family: "auth",
  api: "auth/v2",
  kind: "auth_api",
  schema: ZAuthStatusV2ParamsSchema,
  handle: async (context) => {
    const poll = await context.deps.transactions.poll({ txid: context.params.txid, applicationId: context.application.id });
    if (poll.kind === "unknown") return { error: duoError(DUO_ERRORS.invalidParameter, "txid") };
    const response =
      poll.kind === "waiting"
        ? { result: "waiting" as const, status: poll.pushing ? "pushed" : "waiting", status_msg: poll.pushing ? "Pushed a login request to your device..." : "Waiting..." }
        : authV2Result(poll.decision);
    return { response: ZAuthStatusV2ResponseSchema.parse(response) };
  },
});
