import { normalizeUsername } from "../policy/normalize-username";
import type { TApiDecision, TApiFactor } from "./api-decision-types";
import type { TApiContext, TApiResult } from "./api-types";
import { applicationPolicy } from "./application-policy";
import { DUO_ERRORS } from "./duo-error";
import { listApiDevices } from "./list-api-devices";
import { parsePushInfo } from "./parse-push-info";
import { runApiDecision } from "./run-api-decision";

export type TRespondAuthOptions = {
  context: TApiContext<unknown>;
  api: "auth/v2" | "rest/v1";
  usernameBytes: Buffer;
  factor: TApiFactor;
  async: boolean;
  ipaddr?: string;
  hostname?: string;
  pushinfo?: string; // as sent: parsed here for the push's display
  shape: (decision: TApiDecision) => unknown; // the endpoint's sync answer
};

// The user's devices for a v2 `device` id: the same read and policy the decision then uses.
export const devicesOf = async (context: TApiContext<unknown>, usernameBytes: Buffer) => {
  const policy = applicationPolicy(context.snapshot, context.application);
  const username = normalizeUsername({ username: usernameBytes.toString("utf8"), mode: policy.usernameNormalization });
  const user = await context.deps.readUser({ username }).catch(() => undefined);
  return listApiDevices({ facts: user?.facts, policy, pushAvailable: true });
};

// /auth for v1 and v2: synchronous (a push is answered inside the request, as the Duo proxy expects) or async=1 (a
// txid now, the outcome through /status or /auth_status).
export const respondAuth = async ({ context, api, usernameBytes, factor, async, ipaddr, hostname, pushinfo, shape }: TRespondAuthOptions): Promise<TApiResult> => {
  const pushDetails = parsePushInfo(pushinfo);
  const run = () =>
    runApiDecision({ deps: context.deps, snapshot: context.snapshot, application: context.application, mode: "auth", usernameBytes, factor, ipaddr, hostname, pushDetails, remoteAddress: context.request.remoteAddress, api, now: context.now });
  if (!async) return { response: shape(await run()) };
  const txid = await context.deps.transactions.start({
    applicationId: context.application.id,
    pushing: factor.kind === "auto" || factor.kind === "push",
    run: () =>
      run().catch((error: unknown): TApiDecision => {
        context.deps.log(`api async auth: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return { result: "deny", reason: "error", statusMsg: "Login failed: internal error." };
      }),
  });
  return txid ? { response: { txid } } : { error: DUO_ERRORS.tooManyTransactions };
};

// Duo's `status` for a finished login.
export const statusOf = (decision: TApiDecision): string => {
  if (decision.result === "allow") return decision.reason === "bypass_user" || decision.reason === "bypass_code" ? "bypass" : "allow";
  if (decision.result === "deny" && decision.fraud) return "fraud";
  if (decision.result === "deny" && decision.reason === "locked_out") return "locked_out";
  return "deny";
};
