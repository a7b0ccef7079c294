import type { TAuthEventInput } from "../auth-log/auth-event-schema";
import type { TDropCounter } from "../auth-flow/drop-counter";
import type { TSecondFactorRunner } from "../auth-flow/flow-types";
import type { TConfigSnapshot, TSnapshotApplication } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import type { TUserReader } from "../users/create-user-reader";
import type { TApiTransactions } from "./api-transactions";
import type { TApiFamily, TDuoError } from "./duo-error";
import type { TApiParam } from "./parse-form-params";

// One HTTPS request as the worker's server read it (worker/api-server.ts): bytes in, bytes out, nothing else.
export type TApiRequest = {
  method: string;
  path: string; // without the query
  query: Buffer; // the raw query string, after "?"
  host: string; // the Host header as sent ("api.example:8443")
  authorization?: string;
  date?: string; // X-Duo-Date, else Date
  contentType?: string;
  body: Buffer;
  remoteAddress: string; // the TCP peer: the Duo proxy / pam_duo host, like a NAS
};

export type TApiResponse = { status: number; contentType: string; body: Buffer };

export type TApiRejectReason = "missing_credentials" | "unknown_ikey" | "bad_signature" | "missing_date" | "stale_date" | "wrong_kind" | "bad_request";

export type TApiDeps = {
  snapshot: () => TConfigSnapshot;
  prisma: TPrisma;
  readUser: TUserReader;
  secondFactor: TSecondFactorRunner; // the worker's runSecondFactor, bound to its push runtime and fail-mode probe
  journal: (event: TAuthEventInput) => Promise<unknown>; // resolves once the event is on disk, rejects when it is not
  record: (event: TAuthEventInput) => Promise<unknown>; // best effort: on disk if possible, else to the database from memory
  transactions: TApiTransactions;
  rejections: TDropCounter<TApiRejectReason>;
  enrollmentBaseUrl?: string;
  maxSkewSec: number;
  log: (line: string) => void;
  now?: () => Date;
  // Aborted when the worker stops: a login still waiting (a push not yet answered) is answered deny, not dropped.
  closing?: AbortSignal;
};

// What a handler sees once the request is routed, signed and its parameters validated.
export type TApiContext<P> = {
  deps: TApiDeps;
  request: TApiRequest;
  snapshot: TConfigSnapshot; // read once per request
  application: TSnapshotApplication; // the signing application (kind checked against the route's)
  params: P;
  raw: readonly TApiParam[]; // the same parameters as bytes (a username is checked byte for byte)
  api: "auth/v2" | "rest/v1" | "admin";
  now: Date;
};

// `response` goes out as { stat: "OK", response, metadata? }; `error` as Duo's FAIL envelope.
export type TApiResult = { response: unknown; metadata?: unknown } | { error: TDuoError };

export type TApiRouteFamily = TApiFamily;
