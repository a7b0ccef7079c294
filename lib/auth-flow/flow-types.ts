import type { TAuthEventInput } from "../auth-log/auth-event-schema";
import type { TConfigSnapshot, TSnapshotApplication, TSnapshotClient } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import type { TPrimaryRequest, TPrimaryResult, TRadiusAttribute } from "../primary-auth/types";
import type { TRadiusRequest } from "../radius/request-schema";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "../second-factor/types";
import type { TUserReader } from "../users/create-user-reader";
import type { TAuthUser } from "../users/read-user";

export type TPrimaryDispatch = (options: { application: TSnapshotApplication; request: TPrimaryRequest }) => Promise<TPrimaryResult>;

export type TSecondFactorRunner = (options: {
  request: TSecondFactorRequest;
  policy: TEffectivePolicy;
  application: TSnapshotApplication;
  user?: Promise<TAuthUser | undefined>;
}) => Promise<TSecondFactorOutcome>;

export type TFlowDeps = {
  prisma: TPrisma;
  readUser: TUserReader; // plain pg, optionally cached for a moment (lib/users/create-user-reader.ts)
  primary: TPrimaryDispatch;
  secondFactor: TSecondFactorRunner; // lib/second-factor's runSecondFactor, bound to the worker's push runtime
};

export type TFlowInput = {
  snapshot: TConfigSnapshot; // the snapshot this request started with, kept to its end
  client: TSnapshotClient;
  application: TSnapshotApplication;
  request: TRadiusRequest;
  clientAddress: string;
};

export type TFlowDecision = { code: number; attributes: TRadiusAttribute[]; event: TAuthEventInput };
