import { randomUUID } from "node:crypto";
import { decodeNasBytes } from "../radius/decode-nas-bytes";
import type { TAuthReason, TAuthResult } from "../auth-log/reason-codes";
import { replyMessageFor } from "../auth-log/reason-messages";
import { checkPermittedGroups } from "../policy/check-permitted-groups";
import { checkUsernameBytes, normalizeUsername } from "../policy/normalize-username";
import { resolveEffectivePolicy } from "../policy/resolve-effective-policy";
import { splitReplyMessage } from "../policy/split-reply-message";
import type { TPrimaryResult, TRadiusAttribute } from "../primary-auth/types";
import { bytesAttribute, integerAttribute, textAttributes } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { eapFailureAttribute, readEapRequest } from "../radius/eap/read-eap-request";
import { buildMschapReplyAttributes } from "../radius/mschap/build-mschap-reply-attributes";
import { buildPasscodeReply } from "../radius/mschap/build-passcode-reply";
import { createNtResponseProof } from "../radius/mschap/create-nt-response-proof";
import { findPinnedUpstreamServer, pinUpstreamServer } from "../radius/mschap/pin-upstream-server";
import { readMschapRequest } from "../radius/mschap/read-mschap-request";
import type { TMschapReply } from "../radius/mschap/read-mschap-reply";
import { issueChallenge, stateKind, takeChallenge, type TGrant } from "../second-factor/challenge-state";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "../second-factor/types";
import type { TAuthUser } from "../users/read-user";
import { classFromGroups } from "./class-from-groups";
import { filterPassThrough } from "./filter-pass-through";
import type { TFlowDecision, TFlowDeps, TFlowInput } from "./flow-types";
import { readLoginSession } from "./read-login-session";
import { resolveIdentity } from "./resolve-identity";
import { runPrimary } from "./run-primary";

const replyAttributes = (text?: string): TRadiusAttribute[] =>
  text ? splitReplyMessage({ text }).map((chunk) => bytesAttribute(Attr.ReplyMessage, Buffer.from(chunk, "utf8"))) : [];

const ERROR_REASONS = new Set<TAuthReason>(["upstream_timeout", "upstream_error", "error", "failmode_secure"]);

// The primary's grant as JSON for the State row, and back: bytes as hex, nothing re-encoded.
const toGrant = (primary: { attributes: TRadiusAttribute[]; groups: string[] }): TGrant => ({
  attributes: primary.attributes.map((attr) => ({ type: attr.type, vendorId: attr.vendorId, vendorType: attr.vendorType, value: attr.value.toString("hex") })),
  groups: primary.groups,
});
const fromGrant = (grant: TGrant | undefined): { attributes: TRadiusAttribute[]; groups: string[] } => ({
  attributes: (grant?.attributes ?? []).map((attr) => ({ type: attr.type, vendorId: attr.vendorId, vendorType: attr.vendorType, value: Buffer.from(attr.value, "hex") })),
  groups: grant?.groups ?? [],
});

// Access-Request → decision, one pipeline: check the name → primary (or the relayed upstream challenge) → the
// canonical account → the second factor (lib/second-factor, the only place that decides it) → reply and event.
// Every path returns exactly one decision with its event; the event carries the account and, beside it, the name typed.
export const authenticateAccessRequest = async (input: TFlowInput, deps: TFlowDeps): Promise<TFlowDecision> => {
  const { application, client, request, snapshot } = input;
  const policy = resolveEffectivePolicy({
    global: snapshot.globalPolicy,
    application: snapshot.policyOverrides.find((row) => row.applicationId === application.id) ?? null,
  });
  const checked = checkUsernameBytes(request.userNameBytes);
  // Kept byte for byte for the log, whatever it holds (the writer stores it visibly escaped).
  const usernameRaw = checked.ok ? checked.text : decodeNasBytes(request.userNameBytes ?? Buffer.alloc(0));
  const typed = checked.ok ? normalizeUsername({ username: checked.text, mode: policy.usernameNormalization }) : "";
  let username = typed; // becomes the account once the primary has named it
  let user: TAuthUser | undefined;
  let primaryMs: number | undefined = undefined; // set once the primary has run; read by every finish()
  let secondFactorMs: number | undefined;
  // Set by the login's first relayed upstream round and kept in its State: every later round and the outcome log it.
  let loginId: string | undefined;
  // EAP (802.1X Wi-Fi and wired: PEAP, EAP-TTLS): relayed round by round to the upstream that terminates it, and the
  // second factor only after its Accept, out of band: nothing can be asked inside an EAP conversation that has ended.
  // Every reject of an EAP request ends its conversation too (EAP-Failure).
  const eapRead = readEapRequest(request.attributes);
  const eapIdentifier = eapRead ? (eapRead.ok ? eapRead.eap.identifier : 0) : undefined;

  const finish = (code: number, result: TAuthResult, reason: TAuthReason, attributes: TRadiusAttribute[], extra: { factor?: string; detail?: string } = {}): TFlowDecision => ({
    code,
    attributes: eapIdentifier !== undefined && code === RadiusCode.AccessReject && !attributes.some((attr) => attr.type === Attr.EapMessage) ? [...attributes, eapFailureAttribute(eapIdentifier)] : attributes,
    event: {
      usernameRaw,
      username,
      userId: user?.id ?? null,
      applicationId: application.id,
      radiusClientId: client.id,
      clientName: client.name,
      nasIp: request.nasIp ?? null,
      callingStationId: request.callingStationId ?? null,
      factor: extra.factor ?? null,
      result,
      reason,
      primaryMs: primaryMs ?? null,
      secondFactorMs: secondFactorMs ?? null,
      attributes: extra.detail ? { detail: extra.detail } : null,
      ...(loginId ? { loginId } : {}),
    },
  });
  // The user is told the reason's own text (lib/auth-log/reason-messages.ts) unless a peer's words are relayed.
  const reject = (reason: TAuthReason, text?: string, extra?: { factor?: string; detail?: string }) =>
    finish(RadiusCode.AccessReject, ERROR_REASONS.has(reason) ? "error" : "failure", reason, replyAttributes(text ?? replyMessageFor({ reason })), extra);

  // Refused before any primary sees it: a directory would match such a name loosely, the log could not show it.
  if (!checked.ok) return reject(request.userNameBytes?.length ? "invalid_username" : "unknown_user", undefined, { detail: checked.detail });
  if (!typed) return reject("invalid_username", undefined, { detail: "User-Name is empty after normalization" });

  // MS-CHAPv2 (`mschapv2-capable` on the ASA): no password in the packet, so only the upstream can check it and nothing
  // can be appended to it. The second factor is a push, or a passcode round answered with an NT-Response over it.
  const mschapRead = readMschapRequest(request.attributes);
  if (mschapRead && !mschapRead.ok) return reject("mschap_unsupported", undefined, { detail: mschapRead.detail });
  const mschap = mschapRead?.mschap;
  if (eapRead && !eapRead.ok) return reject("eap_unsupported", undefined, { detail: eapRead.detail });
  const eap = eapRead?.eap;
  const factorApplication = mschap || eap ? { ...application, factorEntry: "challenge" as const } : application;
  const mschapAttributes = (reply: TMschapReply | undefined): TRadiusAttribute[] =>
    reply ? buildMschapReplyAttributes({ reply, secret: Buffer.from(client.secret, "utf8"), authenticator: request.authenticator }) : [];

  const base = (): Omit<TSecondFactorRequest, "directoryGroups"> => ({
    applicationId: application.id,
    radiusClientId: client.id,
    username,
    typedUsername: typed,
    usernameRaw,
    clientAddress: input.clientAddress,
    nasIp: request.nasIp,
    callingStationId: request.callingStationId,
    session: readLoginSession(request),
    now: new Date(),
  });
  const timed = async (run: () => Promise<TSecondFactorOutcome>): Promise<TSecondFactorOutcome> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      secondFactorMs = Math.round(performance.now() - started);
    }
  };

  // The NAS answering an Access-Challenge: the second factor's own round, or an upstream challenge we relayed.
  let upstreamState: Buffer | undefined;
  let eapServerId: string | undefined;
  const kind = request.state ? stateKind(request.state) : undefined;
  if (request.state && kind !== "upstream") {
    if (!kind) return reject("challenge_invalid_state");
    const state = request.state;
    const answer = request.password?.toString("utf8") ?? "";
    const userName = request.userNameBytes ?? Buffer.alloc(0);
    const proof = mschap?.kind === "response" ? createNtResponseProof({ mschap, userName }) : undefined;
    const challengeAnswer = { state, answer, ...(proof ? { proof } : {}) };
    const outcome = await timed(() => deps.secondFactor({ request: { ...base(), challengeAnswer, directoryGroups: [] }, policy, application: factorApplication }));
    // The account is the one the State was issued for (the second factor already read it): the reply's group mapping.
    if (outcome.userId) user = outcome.account?.id === outcome.userId ? outcome.account : await deps.readUser({ id: outcome.userId }).catch(() => undefined);
    if (user) username = user.username;
    // The NAS hashed the passcode (or menu choice) as its MS-CHAPv2 password: the success proves Twofold knew it.
    const passcode = proof?.matched();
    const proven = mschap && passcode !== undefined ? buildPasscodeReply({ mschap, userName, passcode }) : undefined;
    // What the primary granted before the first round comes back with the accept (kept in the State's row).
    return applySecondFactor(outcome, { ...fromGrant(outcome.decision === "accept" ? outcome.grant : undefined), mschap: proven });
  }
  if (request.state) {
    const taken = await takeChallenge({ prisma: deps.prisma, state: request.state, clientId: client.id, username: typed, now: new Date() });
    if (!taken.ok || !taken.data.upstreamState) return reject(taken.ok ? "challenge_invalid_state" : taken.reason);
    upstreamState = Buffer.from(taken.data.upstreamState, "hex");
    loginId = taken.data.loginId;
    eapServerId = eap ? taken.data.upstreamServerId : undefined;
  }

  // A password change after E=648 goes to the server that asked for it.
  const pin = { prisma: deps.prisma, clientId: client.id, username: typed };
  const mschapServerId = mschap?.kind === "change_password" ? await findPinnedUpstreamServer({ ...pin, now: new Date() }) : undefined;
  const step = await runPrimary({ application, request, username: typed, usernameRaw, upstreamState, mschap, mschapServerId, eap, eapServerId, primary: deps.primary });
  if ("missingPassword" in step) return reject("primary_reject", undefined, { detail: "no User-Password or MS-CHAPv2 response" });
  if ("mschapUnsupported" in step) return reject("mschap_unsupported", undefined, { detail: step.mschapUnsupported });
  if ("eapUnsupported" in step) return reject("eap_unsupported", undefined, { detail: step.eapUnsupported });
  primaryMs = step.ms;
  const primary: TPrimaryResult = step.primary;
  switch (primary.outcome) {
    case "reject": {
      // MS-CHAP-Error goes back unchanged: on E=648 AnyConnect asks for a new password and the ASA sends the change.
      const expired = primary.mschap?.errorCode === 648;
      if (expired && primary.serverId) await pinUpstreamServer({ ...pin, serverId: primary.serverId, ttlSec: policy.challengeTimeoutSec, now: new Date() });
      const reason = expired ? "password_expired" : "primary_reject";
      // The upstream's own words when it sent some (they may say more, e.g. why), ours otherwise.
      const attributes = [...replyAttributes(primary.replyMessage ?? replyMessageFor({ reason })), ...mschapAttributes(primary.mschap)];
      return finish(RadiusCode.AccessReject, "failure", reason, attributes, { detail: primary.server });
    }
    case "timeout":
      return reject("upstream_timeout", undefined, { detail: primary.detail });
    case "error":
      return reject("upstream_error", undefined, { detail: primary.detail });
    case "challenge": {
      loginId ??= randomUUID();
      const data = { purpose: "upstream" as const, upstreamState: primary.state.toString("hex"), loginId, ...(eap && primary.serverId ? { upstreamServerId: primary.serverId } : {}) };
      const state = await issueChallenge({ prisma: deps.prisma, clientId: client.id, username: typed, data, attempts: 0, ttlSec: policy.challengeTimeoutSec, now: new Date() });
      return finish(RadiusCode.AccessChallenge, "failure", "primary_challenge", [...filterPassThrough({ attributes: primary.attributes, passThroughAll: true, passThroughAttrs: [] }), bytesAttribute(Attr.State, state)]);
    }
    default:
      break;
  }

  // The outer EAP identity is whatever the supplicant chose ("anonymous", or someone else's name): only the upstream,
  // which saw the inner one, can say whose login this is.
  if (eap && primary.identity === undefined) return reject("upstream_error", undefined, { detail: "EAP Access-Accept without User-Name: the upstream must return the inner identity" });
  const identity = resolveIdentity({ typed, primaryIdentity: primary.identity, mode: policy.usernameNormalization });
  if (!identity.ok) return reject("upstream_error", undefined, { detail: identity.detail });
  username = identity.username;
  const userRead = deps.readUser({ username });
  // An unreadable user is judged by the second factor (fail mode); here it only means "no Twofold groups".
  let unreadable = false;
  user = await userRead.catch(() => {
    unreadable = true;
    return undefined;
  });
  const permitted = checkPermittedGroups({ permittedGroups: application.permittedGroups, user, unreadable, directoryGroups: primary.groups, directoryNamesGroups: application.primaryAuthMode === "ldap" });
  if (!permitted.ok) return reject(permitted.reason, undefined, permitted.detail ? { detail: permitted.detail } : undefined);
  const firstRound = { ...base(), appended: step.appended, directoryGroups: primary.groups, grant: toGrant(primary), ...(mschap || eap ? { whenNothingTyped: "push" as const } : {}), ...(eap ? { outOfBand: true } : {}), ...(loginId ? { loginId } : {}) };
  const outcome = await timed(() => deps.secondFactor({ request: firstRound, policy, application: factorApplication, user: userRead }));
  return applySecondFactor(outcome, primary);

  function applySecondFactor(outcome: TSecondFactorOutcome, accepted: { attributes: TRadiusAttribute[]; groups: string[]; mschap?: TMschapReply }): TFlowDecision {
    const decided = replyFor(outcome, accepted);
    // Every round of a challenge login logs its id, and every worker attached to one push the push's: one login,
    // counted once.
    return outcome.loginId ? { ...decided, event: { ...decided.event, loginId: outcome.loginId } } : decided;
  }
  function replyFor(outcome: TSecondFactorOutcome, accepted: { attributes: TRadiusAttribute[]; groups: string[]; mschap?: TMschapReply }): TFlowDecision {
    switch (outcome.decision) {
      case "accept": {
        // EAP-Success belongs to the protocol, not to authorization: an allow-list never drops it.
        const eapMessages = eap ? accepted.attributes.filter((attr) => attr.type === Attr.EapMessage) : [];
        const granted = eap ? accepted.attributes.filter((attr) => attr.type !== Attr.EapMessage) : accepted.attributes;
        const attributes = filterPassThrough({ attributes: granted, passThroughAll: application.passThroughAll, passThroughAttrs: application.passThroughAttrs });
        if (application.primaryAuthMode !== "radius") {
          const value = classFromGroups({ mappings: application.groupMappings, twofoldGroupIds: user?.groupIds ?? [], directoryGroups: accepted.groups });
          if (value) attributes.push(...textAttributes(Attr.Class, value));
        }
        attributes.push(...mschapAttributes(accepted.mschap), ...eapMessages);
        const detail = mschap?.kind === "change_password" ? "password changed upstream" : undefined;
        return finish(RadiusCode.AccessAccept, "success", outcome.reason, attributes, { factor: outcome.factor, detail });
      }
      case "reject":
        return finish(RadiusCode.AccessReject, outcome.fraud ? "fraud" : ERROR_REASONS.has(outcome.reason) ? "error" : "failure", outcome.reason, replyAttributes(outcome.replyMessage ?? replyMessageFor({ reason: outcome.reason })), { factor: outcome.factor });
      case "challenge":
        // Session-Timeout tells the NAS how long the State lives (RFC 2865 §5.27), so it stops waiting for the answer then.
        return finish(RadiusCode.AccessChallenge, "failure", outcome.reason, [...replyAttributes(outcome.replyMessage), bytesAttribute(Attr.State, outcome.state), integerAttribute(Attr.SessionTimeout, policy.challengeTimeoutSec)]);
      default:
        return finish(RadiusCode.AccessReject, "error", outcome.reason, replyAttributes(replyMessageFor({ reason: outcome.reason })), { detail: outcome.detail });
    }
  }
};
