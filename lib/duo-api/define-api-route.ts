import type { z } from "zod";
import type { TApiContext, TApiResult } from "./api-types";
import { DUO_ERRORS, duoError, type TApiFamily } from "./duo-error";

type TRouteBase = {
  path: string;
  methods: readonly string[];
  family: TApiFamily;
  api: "auth/v2" | "rest/v1" | "admin";
  bson?: boolean; // also served at `${path}.bson` (BSON responses)
};

export type TApiParamsRecord = Record<string, string | string[]>;

export type TSignedApiRoute = TRouteBase & {
  signed: true;
  kind: "auth_api" | "admin_api"; // the application kind whose ikey/skey may call it
  allowUndated: boolean; // v1 signatures (no Date) accepted: the legacy /rest/v1 endpoints only
  run: (context: TApiContext<TApiParamsRecord>) => Promise<TApiResult>;
};
export type TUnsignedApiRoute = TRouteBase & { signed: false; respond: (now: Date) => TApiResult };
export type TApiRoute = TSignedApiRoute | TUnsignedApiRoute;

// One endpoint: its zod schema for the request parameters and the handler that gets them parsed. Parameters the
// schema does not name are ignored (Duo's clients send extras such as hostname or failmode); one sent twice where a
// single value is expected is refused.
export const defineApiRoute = <S extends z.ZodType>(
  route: TRouteBase & { kind: TSignedApiRoute["kind"]; allowUndated?: boolean; schema: S; handle: (context: TApiContext<z.infer<S>>) => Promise<TApiResult> },
): TSignedApiRoute => ({
  path: route.path,
  methods: route.methods,
  family: route.family,
  api: route.api,
  bson: route.bson,
  signed: true,
  kind: route.kind,
  allowUndated: route.allowUndated ?? false,
  run: async (context) => {
    const parsed = route.schema.safeParse(context.params);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || issue.message))].join(", ");
      return { error: duoError(DUO_ERRORS.invalidParameter, fields) };
    }
    return route.handle({ ...context, params: parsed.data });
  },
});
