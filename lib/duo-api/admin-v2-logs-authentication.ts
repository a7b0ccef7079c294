import { z } from "zod";
import { defineApiRoute } from "./define-api-route";
import { DUO_ERRORS, duoError } from "./duo-error";
import { queryAdminAuthLogs } from "./query-admin-auth-logs";
import { toDuoAuthLog } from "./to-duo-authlog";

const list = z.preprocess((value) => (value === undefined ? undefined : Array.isArray(value) ? value : String(value).split(",")), z.array(z.string().min(1).max(100)).max(100).optional());
const ms = z.coerce.number().int().min(0).max(8_640_000_000_000_000);

export const ZAuthLogsV2ParamsSchema = z.object({
  mintime: ms,
  maxtime: ms,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  // "1701234567000,1234" as the previous page's metadata.next_offset, joined; or sent as two values.
  next_offset: z.union([z.string(), z.array(z.string()).length(2)]).optional(),
  sort: z.enum(["ts:desc", "ts:asc"]).default("ts:desc"),
  users: list,
  applications: list,
  results: list,
  reasons: list,
  factors: list,
  event_types: list,
});

const parseOffset = (value: string | string[] | undefined): { time: Date; id: bigint } | "invalid" | undefined => {
  if (value === undefined) return undefined;
  const [time, id] = Array.isArray(value) ? value : value.split(",");
  if (!time || !id || !/^\d{1,16}$/.test(time) || !/^\d{1,19}$/.test(id)) return "invalid";
  return { time: new Date(Number(time)), id: BigInt(id) };
};

// GET /admin/v2/logs/authentication: Duo's v2 auth log (mintime/maxtime in ms, limit, next_offset) for an admin_api
// application, paged on the (time, id) keyset.
export const adminV2LogsAuthentication = defineApiRoute({
  path: "/admin/v2/logs/authentication",
  methods: ["GET"],
  family: "admin",
  api: "admin",
  kind: "admin_api",
  schema: ZAuthLogsV2ParamsSchema,
  handle: async (context) => {
    const { params } = context;
    const after = parseOffset(params.next_offset);
    if (after === "invalid") return { error: duoError(DUO_ERRORS.invalidParameter, "next_offset") };
    if (params.event_types && !params.event_types.includes("authentication")) return { response: { authlogs: [], metadata: {} } };
    const page = await queryAdminAuthLogs({
      prisma: context.deps.prisma,
      query: { mintime: new Date(params.mintime), maxtime: new Date(params.maxtime), limit: params.limit, sort: params.sort === "ts:asc" ? "asc" : "desc", after, users: params.users, applications: params.applications, results: params.results, reasons: params.reasons, factors: params.factors },
    });
    const metadata = page.next ? { next_offset: [String(page.next.time.getTime()), String(page.next.id)] } : {};
    return { response: { authlogs: page.rows.map(toDuoAuthLog), metadata } };
  },
});
