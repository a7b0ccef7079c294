import type { TAuthReason, TAuthResult } from "../auth-log/reason-codes";
import { normalizeUsername } from "../policy/normalize-username";
import { resolveEffectivePolicy } from "../policy/resolve-effective-policy";
import { splitAppendedFactor } from "../policy/split-appended-factor";
import { splitReplyMessage } from "../policy/split-reply-message";
import type { TPrimaryResult, TRadiusAttribute } from "../primary-auth/types";
import { bytesAttribute, textAttributes } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import type { TSecondFactorOutcome } from "../second-factor/types";
import { classFromGroups } from "./class-from-groups";
import { filterPassThrough } from "./filter-pass-through";
import type { TFlowDecision, TFlowDeps, TFlowInput } from "./flow-types";
import type { TFlowUser } from "./lookup-user";
import { newUserDecision } from "./new-user-decision";
import { quickSecondFactor } from "./quick-second-factor";

const replyAttributes = (text?: string): TRadiusAttribute[] =>
  text ? splitReplyMessage({ text }).map((chunk) => bytesAttribute(Attr.ReplyMessage, Buffer.from(chunk, "utf8"))) : [];

const inPermittedGroup = (input: TFlowInput, user: TFlowUser | undefined, directoryGroups: readonly string[]): boolean => {
  const permitted = input.application.permittedGroups;
  if (permitted.length === 0) return true;
  const ids = new Set(user?.groupIds ?? []);
  const directory = new Set(directoryGroups.map((group) => group.toLowerCase()));
  return permitted.some((group) => ids.has(group.id) || directory.has(group.name.toLowerCase()));
};

// Access-Request → decision. Order: normalize, user status, permitted groups, primary (with the append-mode split and
// its whole-string retry), second factor, reply attributes. Every path returns exactly one decision with its event.
export const authenticateAccessRequest = async (input: TFlowInput, deps: TFlowDeps): Promise<TFlowDecision> => {
  const { application, client, request, snapshot } = input;
  const usernameRaw = request.userName ?? "";
  const policy = resolveEffectivePolicy({
    global: snapshot.globalPolicy,
    application: snapshot.policyOverrides.find((row) => row.applicationId === application.id) ?? null,
  });
  const username = normalizeUsername({ username: usernameRaw, mode: policy.usernameNormalization });
  let primaryMs: number | undefined;
  let secondFactorMs: number | undefined;
  let user: TFlowUser | undefined;

  const finish = (code: number, result: TAuthResult, reason: TAuthReason, attributes: TRadiusAttribute[], extra: { factor?: string; detail?: string } = {}): TFlowDecision => ({
    code,
    attributes,
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
    },
  });
  const reject = (reason: TAuthReason, text?: string, extra?: { factor?: string; detail?: string }) =>
    finish(RadiusCode.AccessReject, reason === "upstream_timeout" || reason === "upstream_error" || reason === "error" ? "error" : "failure", reason, replyAttributes(text), extra);

  if (!usernameRaw) return reject("unknown_user", undefined, { detail: "no User-Name" });

  // The NAS answering an Access-Challenge: ours for a relayed upstream challenge, or the second factor's.
  let upstreamState: Buffer | undefined;
  if (request.state && deps.upstreamChallenges.isOurs(request.state)) {
    const entry = await deps.upstreamChallenges.take(request.state, client.id);
    if (!entry) return reject("challenge_invalid_state", "The sign-in attempt expired. Please try again.");
    upstreamState = entry.upstreamState;
  } else if (request.state) {
    if (!deps.secondFactor) return reject("challenge_invalid_state", "The sign-in attempt expired. Please try again.");
    user = await deps.readUser(username);
    return applySecondFactor(await timed(() => deps.secondFactor!({
      request: { ...secondFactorBase(), challengeAnswer: { state: request.state!, answer: request.password?.toString("utf8") ?? "" }, directoryGroups: [] },
      policy,
      application,
      user,
    })), { attributes: [], groups: [] });
  }

  // Database unreachable: the user is unknown, not absent. Skip the checks that need the row and let the second
  // factor apply the policy's fail mode (it cannot reach the database either).
  let userKnown = true;
  try {
    user = await deps.readUser(username);
  } catch {
    userKnown = false;
  }
  if (user?.status === "disabled") return reject("user_disabled", "Your account is disabled. Contact your helpdesk.");
  // With the second factor present it owns lockout (it knows about auto-unlock); without it, locked means locked.
  if (user?.status === "locked_out" && !deps.secondFactor) return reject("locked_out", "Your account is locked. Contact your helpdesk.");
  if (userKnown && application.primaryAuthMode !== "ldap" && !inPermittedGroup(input, user, [])) return reject("user_not_in_permitted_group", "You are not permitted to use this service.");

  // Primary authentication.
  let primary: TPrimaryResult = { outcome: "accept", attributes: [], groups: [], ms: 0 };
  let appended: string | undefined;
  if (application.primaryAuthMode !== "none") {
    if (!request.password) return reject("primary_reject", undefined, { detail: "no User-Password (only PAP is supported)" });
    const candidates = application.factorEntry !== "challenge" && !upstreamState
      ? splitAppendedFactor({ password: request.password, delimiter: application.appendDelimiter })
      : [{ password: request.password }];
    const started = performance.now();
    for (const [index, candidate] of candidates.entries()) {
      primary = await deps.primary({
        application,
        user,
        request: {
          username,
          usernameRaw,
          password: candidate.password,
          nasIp: request.nasIp,
          nasIdentifier: request.nasIdentifier,
          callingStationId: request.callingStationId,
          calledStationId: request.calledStationId,
          forwardAttributes: [],
          upstreamState,
        },
      });
      appended = "appended" in candidate ? candidate.appended : undefined;
      // Only a reject of the split form retries with the whole string (a password may itself end in ",123456").
      if (primary.outcome !== "reject" || index === candidates.length - 1) break;
    }
    primaryMs = Math.round(performance.now() - started);
  }
  switch (primary.outcome) {
    case "reject":
      return reject("primary_reject", primary.replyMessage, { detail: primary.server });
    case "timeout":
      return reject("upstream_timeout", undefined, { detail: primary.detail });
    case "error":
      return reject("upstream_error", undefined, { detail: primary.detail });
    case "challenge": {
      const state = await deps.upstreamChallenges.issue({ upstreamState: primary.state, clientId: client.id, usernameRaw });
      return finish(RadiusCode.AccessChallenge, "failure", "primary_challenge", [...filterPassThrough({ attributes: primary.attributes, passThroughAll: true, passThroughAttrs: [] }), bytesAttribute(Attr.State, state)]);
    }
    default:
      break;
  }
  const accepted = primary;
  if (!inPermittedGroup(input, user, accepted.groups)) return reject("user_not_in_permitted_group", "You are not permitted to use this service.");

  const quick = deps.secondFactor && userKnown
    ? quickSecondFactor({ user, policy, factorEntry: application.factorEntry, clientAddress: input.clientAddress, callingStationId: request.callingStationId, appended, now: new Date() })
    : undefined;
  const fallback = (): TSecondFactorOutcome => {
    if (!userKnown) return { decision: "error", reason: "error", detail: "database unavailable: user unknown" };
    if (user?.status === "bypass") return { decision: "accept", reason: "bypass_user", userId: user.id };
    return newUserDecision({ newUserPolicy: policy.newUserPolicy, userId: user?.id, activeAuthenticators: user?.activeAuthenticators ?? 0 });
  };
  const outcome =
    quick ??
    (deps.secondFactor
      ? await timed(() => deps.secondFactor!({ request: { ...secondFactorBase(), appended, directoryGroups: accepted.groups }, policy, application, user }))
      : fallback());
  return applySecondFactor(outcome, accepted);

  function secondFactorBase() {
    return {
      applicationId: application.id,
      radiusClientId: client.id,
      username,
      usernameRaw,
      clientAddress: input.clientAddress,
      nasIp: request.nasIp,
      callingStationId: request.callingStationId,
      now: new Date(),
    };
  }

  async function timed(run: () => Promise<TSecondFactorOutcome>): Promise<TSecondFactorOutcome> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      secondFactorMs = Math.round(performance.now() - started);
    }
  }

  function applySecondFactor(outcome: TSecondFactorOutcome, accepted: { attributes: TRadiusAttribute[]; groups: string[] }): TFlowDecision {
    switch (outcome.decision) {
      case "accept": {
        const attributes = filterPassThrough({ attributes: accepted.attributes, passThroughAll: application.passThroughAll, passThroughAttrs: application.passThroughAttrs });
        if (application.primaryAuthMode !== "radius") {
          const value = classFromGroups({ mappings: application.groupMappings, twofoldGroupIds: user?.groupIds ?? [], directoryGroups: accepted.groups });
          if (value) attributes.push(...textAttributes(Attr.Class, value));
        }
        return finish(RadiusCode.AccessAccept, "success", outcome.reason, attributes, { factor: outcome.factor });
      }
      case "reject":
        return finish(RadiusCode.AccessReject, outcome.fraud ? "fraud" : "failure", outcome.reason, replyAttributes(outcome.replyMessage), { factor: outcome.factor });
      case "challenge":
        return finish(RadiusCode.AccessChallenge, "failure", outcome.reason, [...replyAttributes(outcome.replyMessage), bytesAttribute(Attr.State, outcome.state)]);
      default:
        return finish(RadiusCode.AccessReject, "error", outcome.reason, [], { detail: outcome.detail });
    }
  }
};
