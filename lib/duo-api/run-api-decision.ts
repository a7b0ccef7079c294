import type { TAuthReason } from "../auth-log/reason-codes";
import { refusedEvent } from "../auth-log/refused-event";
import type { TConfigSnapshot, TSnapshotApplication } from "../config/snapshot-schema";
import { replyMessageFor } from "../auth-log/reason-messages";
import { checkPermittedGroups } from "../policy/check-permitted-groups";
import { classifyFactorInput } from "../policy/classify-factor-input";
import { checkUsernameBytes, normalizeUsername } from "../policy/normalize-username";
import type { TPushDetails } from "../push/push-schemas";
import { isVerifyPrompt, VERIFY_PROMPT } from "../push/run-push-step";
import { decodeNasBytes } from "../radius/decode-nas-bytes";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "../second-factor/types";
import type { TAuthUser } from "../users/read-user";
import type { TApiDecision, TApiFactor } from "./api-decision-types";
import { apiStatusMessage } from "./api-status-message";
import { applicationPolicy } from "./application-policy";
import type { TApiDeps } from "./api-types";
import { buildApiEvent } from "./build-api-event";
import { findVerifyState } from "./find-verify-state";
import { listApiDevices } from "./list-api-devices";
import { unlessClosed } from "./unless-closed";

export type TRunApiDecisionOptions = {
  deps: TApiDeps;
  snapshot: TConfigSnapshot;
  application: TSnapshotApplication;
  mode: "preauth" | "auth";
  usernameBytes: Buffer;
  factor?: TApiFactor; // auth: what the user chose
  ipaddr?: string;
  hostname?: string;
  pushDetails?: TPushDetails; // the client's pushinfo, parsed: shown with a push this login sends
  remoteAddress: string;
  api: "auth/v2" | "rest/v1";
  now: Date;
};

const VERIFY_AGAIN = "Verified push: your phone shows a number. Approve the login there, then sign in again with that number as your passcode.";
export const SHUTTING_DOWN = "Login failed: this Twofold server is shutting down. Please try again.";
const VERIFY_RETRY = "That is not the number your phone shows. Sign in again with the number it shows as your passcode.";

// Preauth and auth through the one decision pipeline the RADIUS flow uses: the name checked byte for byte and
// normalized by the policy, the user read once, the permitted groups, then lib/second-factor's runSecondFactor (the
// only place a second factor is decided) with the application's policy. The Duo client did the primary, as primary
// mode "none" does. A call is single-shot like "append" entry (auto = push to the first device, as Duo's auto);
// preauth asks for the "challenge" step instead, which names the factors without sending anything. Every answer that
// decides is journaled before the caller answers.
export const runApiDecision = async (options: TRunApiDecisionOptions): Promise<TApiDecision> => {
  const { deps, snapshot, application, mode, now } = options;
  const policy = applicationPolicy(snapshot, application);
  const checked = checkUsernameBytes(options.usernameBytes);
  const usernameRaw = checked.ok ? checked.text : decodeNasBytes(options.usernameBytes);
  const typed = checked.ok ? normalizeUsername({ username: checked.text, mode: policy.usernameNormalization }) : "";
  // Filled in as the call proceeds; every event reads what is known by then.
  const known: { user?: TAuthUser; secondFactorMs?: number } = {};

  const finish = async (decision: TApiDecision, event: { accepted: boolean; reason: TAuthReason; factor?: string; fraud?: boolean; userId?: string; detail?: string; loginId?: string }): Promise<TApiDecision> => {
    const built = buildApiEvent({
      ...event,
      usernameRaw,
      username: known.user?.username ?? typed,
      userId: event.userId ?? known.user?.id,
      applicationId: application.id,
      remoteAddress: options.remoteAddress,
      ipaddr: options.ipaddr,
      hostname: options.hostname,
      api: options.api,
      secondFactorMs: known.secondFactorMs,
    });
    // Journal before answering. An allow the journal cannot make durable is not given (as over RADIUS,
    // lib/auth-flow/journal-then-answer.ts): the client gets an error deny, which is what is then recorded.
    try {
      await deps.journal(built);
      return decision;
    } catch (error) {
      const detail = `auth log journal write failed: ${error instanceof Error ? error.message : String(error)}`;
      const refused = decision.result === "allow";
      const answer: TApiDecision = refused ? { result: "deny", reason: "error", statusMsg: apiStatusMessage("error") } : decision;
      const recorded = refused ? refusedEvent(built, detail) : { ...built, eventId: undefined };
      void deps.record(recorded).catch((recordError: unknown) => deps.log(`auth log: ${String(recordError)}`));
      return answer;
    }
  };
  const deny = (reason: TAuthReason, statusMsg: string, extra: { factor?: string; detail?: string } = {}) =>
    finish({ result: "deny", reason, statusMsg, factor: extra.factor }, { accepted: false, reason, ...extra });

  const unnamed = options.usernameBytes.length ? "invalid_username" : "unknown_user";
  if (!checked.ok) return deny(unnamed, apiStatusMessage(unnamed), { detail: checked.detail });
  if (!typed) return deny("invalid_username", apiStatusMessage("invalid_username"), { detail: "username is empty after normalization" });
  const userRead = deps.readUser({ username: typed });
  // An unreadable user is judged by the second factor (fail mode); here it only means "Twofold groups unknown".
  let unreadable = false;
  const user = await userRead.catch(() => {
    unreadable = true;
    return undefined;
  });
  known.user = user;
  // RADIUS's verdict (lib/policy/check-permitted-groups.ts); the Duo client did the primary, so no directory named groups.
  const permitted = checkPermittedGroups({ permittedGroups: application.permittedGroups, user, unreadable, directoryGroups: [], directoryNamesGroups: false });
  if (!permitted.ok) return deny(permitted.reason, apiStatusMessage(permitted.reason, replyMessageFor({ reason: permitted.reason })), permitted.detail ? { detail: permitted.detail } : {});

  const supplied: Pick<TSecondFactorRequest, "appended" | "challengeAnswer"> = {};
  const factor = options.factor ?? { kind: "auto" };
  if (factor.kind === "unavailable") return deny("factor_not_allowed", `${factor.name}: not available. Use push or a passcode.`, { factor: factor.name });
  if (factor.kind === "push") supplied.appended = factor.deviceIndex === 1 ? "push" : `push${factor.deviceIndex}`;
  if (factor.kind === "code") {
    if (classifyFactorInput({ text: factor.code, context: "append" })) supplied.appended = factor.code;
    else {
      const state = /^\d{2,3}$/.test(factor.code) ? await findVerifyState({ prisma: deps.prisma, applicationId: application.id, username: typed, now }) : undefined;
      if (!state) return deny("invalid_passcode", apiStatusMessage("invalid_passcode"), { factor: "passcode" });
      supplied.challengeAnswer = { state, answer: factor.code };
    }
  }

  const request: TSecondFactorRequest = {
    applicationId: application.id,
    radiusClientId: application.id, // API States are bound to the application, as RADIUS ones are to the NAS
    username: typed,
    typedUsername: typed,
    usernameRaw,
    clientAddress: options.remoteAddress,
    nasIp: options.remoteAddress,
    callingStationId: options.ipaddr,
    ...supplied,
    ...(options.pushDetails?.length ? { pushDetails: options.pushDetails } : {}),
    directoryGroups: [],
    now,
  };
  const started = performance.now();
  const requested = factor.kind === "code" ? (classifyFactorInput({ text: factor.code, context: "append" })?.kind === "bypass" ? "bypass_code" : "passcode") : factor.kind === "push" ? "push" : undefined;
  const decided: Promise<TSecondFactorOutcome> = deps.secondFactor({
    request,
    policy,
    application: { ...application, factorEntry: mode === "preauth" ? "challenge" : "append" },
    user: userRead,
  });
  // The worker is stopping: answered deny in the endpoint's own shape (HTTP 200, result deny), never a dropped
  // connection, which libduo and the Duo proxy count as "service unreachable" and let in under failmode=safe.
  const outcome = await unlessClosed(decided, deps.closing);
  known.secondFactorMs = Math.round(performance.now() - started);
  if (!outcome) return deny("error", SHUTTING_DOWN, { factor: requested, detail: "the worker stopped before the second factor was decided" });
  const userId = outcome.userId;
  const { loginId } = outcome;

  switch (outcome.decision) {
    case "accept":
      return finish({ result: "allow", reason: outcome.reason, statusMsg: apiStatusMessage(outcome.reason), factor: outcome.factor }, { accepted: true, reason: outcome.reason, factor: outcome.factor, userId, loginId });
    case "reject": {
      const statusMsg = outcome.enrollmentUrl ? `Enroll a second factor at ${outcome.enrollmentUrl}, then sign in again.` : apiStatusMessage(outcome.reason, outcome.replyMessage);
      const decision: TApiDecision = { result: "deny", reason: outcome.reason, statusMsg, factor: outcome.factor, fraud: outcome.fraud, enrollmentUrl: outcome.enrollmentUrl };
      return finish(decision, { accepted: false, reason: outcome.reason, factor: outcome.factor ?? requested, fraud: outcome.fraud, userId, loginId });
    }
    case "challenge":
      if (outcome.enrollmentUrl) {
        const statusMsg = `Enroll a second factor at ${outcome.enrollmentUrl}, then sign in again.`;
        return finish({ result: "enroll", reason: "enrollment_required", statusMsg, enrollmentUrl: outcome.enrollmentUrl }, { accepted: false, reason: "enrollment_required", userId });
      }
      if (isVerifyPrompt(outcome.replyMessage)) {
        const statusMsg = outcome.replyMessage === VERIFY_PROMPT ? VERIFY_AGAIN : VERIFY_RETRY;
        return finish({ result: "deny", reason: outcome.reason, statusMsg, factor: "push" }, { accepted: false, reason: outcome.reason, factor: "push", userId, loginId });
      }
      if (mode === "preauth") return { result: "auth", statusMsg: "Account is active", devices: listApiDevices({ facts: user?.facts, policy, pushAvailable: true }) };
      return deny("error", "Login failed.", { detail: `unexpected challenge: ${outcome.replyMessage}` });
    default:
      return finish({ result: "deny", reason: outcome.reason, statusMsg: "Login failed: internal error." }, { accepted: false, reason: outcome.reason, userId, detail: outcome.detail });
  }
};
