import type { TApiDeps, TApiRequest, TApiResponse, TApiResult } from "./api-types";
import type { TApiParamsRecord, TApiRoute } from "./define-api-route";
import { DUO_ERRORS, DuoApiError, duoError } from "./duo-error";
import { encodeApiResponse } from "./encode-api-response";
import { parseFormParams, parseJsonParams, type TApiParam } from "./parse-form-params";
import { verifySignature } from "./verify-signature";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

// "api.example:8443" → "api.example"; "[::1]:8443" → "[::1]". Clients sign the bare name they were given.
export const hostOf = (header: string): string => {
  const host = header.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon >= 0 && host.indexOf(":") === colon ? host.slice(0, colon) : host;
};

const toRecord = (params: readonly TApiParam[]): TApiParamsRecord => {
  const record: TApiParamsRecord = {};
  for (const { key, value } of params) {
    const name = key.toString("utf8");
    const text = value.toString("utf8");
    const previous = record[name];
    record[name] = previous === undefined ? text : Array.isArray(previous) ? [...previous, text] : [previous, text];
  }
  return record;
};

// Route → parameters → signature (ikey/skey of an application of the route's kind) → the endpoint. Every refusal is
// Duo's error envelope, counted per reason for /health; nothing here answers with a status a client reads as "Duo is
// down" (see httpStatusFor).
export const handleApiRequest = async (request: TApiRequest, deps: TApiDeps, routes: readonly TApiRoute[]): Promise<TApiResponse> => {
  const now = deps.now?.() ?? new Date();
  const bson = request.path.endsWith(".bson");
  const path = bson ? request.path.slice(0, -".bson".length) : request.path;
  const family = path.startsWith("/admin/") ? "admin" : "auth";
  const route = routes.find((candidate) => candidate.path === path && (!bson || candidate.bson));
  const reply = (result: TApiResult) => encodeApiResponse({ family, bson, result });
  const source = request.remoteAddress;
  try {
    if (!route) return reply({ error: DUO_ERRORS.notFound });
    if (!route.methods.includes(request.method)) return reply({ error: DUO_ERRORS.methodNotAllowed });
    if (!route.signed) return reply(route.respond(now));
    const json = /^application\/json\b/i.test(request.contentType ?? "") && BODY_METHODS.has(request.method);
    const query = parseFormParams(request.query);
    const body = !BODY_METHODS.has(request.method) ? ({ ok: true, params: [] } as const) : json ? parseJsonParams(request.body) : parseFormParams(request.body);
    if (!query.ok || !body.ok) {
      deps.rejections.drop("bad_request", source, !query.ok ? query.detail : body.ok ? "" : body.detail);
      return reply({ error: duoError(DUO_ERRORS.invalidParameter, !query.ok ? query.detail : body.ok ? undefined : body.detail) });
    }
    const snapshot = deps.snapshot();
    const verified = verifySignature({
      authorization: request.authorization,
      date: request.date,
      method: request.method,
      host: hostOf(request.host),
      hostWithPort: request.host.trim().toLowerCase(),
      path: request.path,
      params: json ? query.params : [...query.params, ...body.params],
      body: json ? request.body : Buffer.alloc(0),
      json,
      allowUndated: route.allowUndated,
      maxSkewSec: deps.maxSkewSec,
      now,
      findApplication: (ikey) => snapshot.applications.find((application) => application.ikey === ikey),
    });
    if (!verified.ok) {
      deps.rejections.drop(verified.reason, source, `${request.method} ${request.path}${verified.ikey ? ` ikey ${verified.ikey}` : ""}`);
      return reply({ error: verified.error });
    }
    const application = verified.application;
    if (application.kind !== route.kind) {
      deps.rejections.drop("wrong_kind", source, `${application.name} (${application.kind}) called ${request.path}`);
      return reply({ error: duoError(DUO_ERRORS.forbidden, `application "${application.name}" is not of kind ${route.kind}`) });
    }
    const raw = [...query.params, ...body.params];
    return reply(await route.run({ deps, request, snapshot, application, params: toRecord(raw), raw, api: route.api, now }));
  } catch (error) {
    if (error instanceof DuoApiError) return reply({ error: error.error });
    deps.log(`api ${request.method} ${request.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return reply({ error: DUO_ERRORS.internal });
  }
};
