import type { TSnapshotApplication } from "../config/snapshot-schema";
import { splitAppendedFactor } from "../policy/split-appended-factor";
import type { TPrimaryResult } from "../primary-auth/types";
import type { TRadiusRequest } from "../radius/request-schema";
import type { TPrimaryDispatch } from "./flow-types";

export type TPrimaryStep = { primary: TPrimaryResult; appended?: string; ms: number };

// Primary authentication with the append-mode split: "password,123456" is tried as "password" + factor, and only a
// reject of that split retries the whole string (a password may itself end in ",123456").
export const runPrimary = async (options: {
  application: TSnapshotApplication;
  request: TRadiusRequest;
  username: string; // normalized typed name: what LDAP searches and local users are found by
  usernameRaw: string; // what upstream RADIUS gets, as the NAS sent it
  upstreamState?: Buffer; // answering a relayed upstream challenge
  primary: TPrimaryDispatch;
}): Promise<TPrimaryStep | { missingPassword: true }> => {
  const { application, request, upstreamState } = options;
  if (application.primaryAuthMode === "none") return { primary: { outcome: "accept", attributes: [], groups: [], ms: 0 }, ms: 0 };
  if (!request.password) return { missingPassword: true };
  const candidates =
    application.factorEntry !== "challenge" && !upstreamState ? splitAppendedFactor({ password: request.password, delimiter: application.appendDelimiter }) : [{ password: request.password }];
  const started = performance.now();
  let result: TPrimaryStep | undefined;
  for (const [index, candidate] of candidates.entries()) {
    const primary = await options.primary({
      application,
      request: {
        username: options.username,
        usernameRaw: options.usernameRaw,
        password: candidate.password,
        nasIp: request.nasIp,
        nasIdentifier: request.nasIdentifier,
        callingStationId: request.callingStationId,
        calledStationId: request.calledStationId,
        forwardAttributes: [],
        upstreamState,
      },
    });
    result = { primary, appended: "appended" in candidate ? candidate.appended : undefined, ms: 0 };
    if (primary.outcome !== "reject" || index === candidates.length - 1) break;
  }
  return { ...result!, ms: Math.round(performance.now() - started) };
};
