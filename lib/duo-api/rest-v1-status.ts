import { z } from "zod";
import { ZTxidParamSchema } from "./api-schemas";
import { defineApiRoute } from "./define-api-route";
import { DUO_ERRORS, duoError } from "./duo-error";
import { authV1Result } from "./rest-v1-auth";

export const ZStatusV1ParamsSchema = z.object({ txid: ZTxidParamSchema });
// Still waiting: `status` only; finished: `result` too (libduo stops polling when it sees a result).
export const ZStatusV1ResponseSchema = z.union([z.object({ result: z.enum(["allow", "deny"]), status: z.string() }), z.object({ status: z.string() })]);

// GET /rest/v1/status(.bson)?txid=: long-polls an async=1 login, as login_duo does on a terminal.
export const restV1Status = defineApiRoute({
  path: "/rest/v1/status",
  methods: ["GET"],
  family: "auth",
  api: "rest/v1",
  bson: true,
  kind: "auth_api",
  allowUndated: true,
  schema: ZStatusV1ParamsSchema,
  handle: async (context) => {
    const poll = await context.deps.transactions.poll({ txid: context.params.txid, applicationId: context.application.id });
    if (poll.kind === "unknown") return { error: duoError(DUO_ERRORS.invalidParameter, "txid") };
    const response = poll.kind === "waiting" ? { status: poll.pushing ? "Pushed a login request to your phone..." : "Waiting..." } : authV1Result(poll.decision);
    return { response: ZStatusV1ResponseSchema.parse(response) };
  },
});
