import { serialize } from "bson";
import type { TApiResponse, TApiResult } from "./api-types";
import { errorBody, httpStatusFor, type TApiFamily } from "./duo-error";

// JSON, or BSON for the legacy ".bson" endpoints libduo (login_duo, pam_duo 1.x) reads: the same document either way.
// Integers go out as BSON int32 (libduo reads `code` as bson_int).
export const encodeApiResponse = ({ family, bson, result }: { family: TApiFamily; bson: boolean; result: TApiResult }): TApiResponse => {
  const status = "error" in result ? httpStatusFor(family, result.error) : 200;
  const document = "error" in result ? errorBody(result.error) : { stat: "OK", response: result.response, ...(result.metadata === undefined ? {} : { metadata: result.metadata }) };
  if (bson) return { status, contentType: "application/bson", body: Buffer.from(serialize(document)) };
  return { status, contentType: "application/json", body: Buffer.from(JSON.stringify(document), "utf8") };
};
