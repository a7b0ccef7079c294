import { ZAuthEventFilterSchema, type TAuthEventFilter } from "@/lib/auth-log/query-auth-events";
import { parseInput } from "@/lib/api/parse-input";

export const filterFromParams = (params: URLSearchParams | Record<string, string | undefined>): TAuthEventFilter => {
  const entries = params instanceof URLSearchParams ? Object.fromEntries(params.entries()) : params;
  return parseInput(ZAuthEventFilterSchema, entries);
};
