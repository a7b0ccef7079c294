import { prisma } from "@/lib/db";
import { handleRoute } from "@/lib/api/handle-route";
import { requirePermission } from "@/lib/auth/require-permission";
import { getGlobalPolicy } from "@/lib/policy/get-policies";
import { savePolicy } from "@/lib/policy/save-policy";
import { getActor, getSession } from "../../../_server/session";

// JSON API for the global policy: the same permission checks as the console's forms, for scripts and for proving
// that a role without policy:write is refused even when it skips the UI.
export const GET = handleRoute(async () => {
  requirePermission(await getSession(), "policy:read");
  return { policy: await getGlobalPolicy({ prisma }) };
});

// PUT replaces the whole policy (every field required, null = default); PATCH changes only the fields sent.
const write = (mode: "replace" | "patch") =>
  handleRoute(async (request: Request) => {
    const session = requirePermission(await getSession(), "policy:write");
    const body: unknown = await request.json().catch(() => ({}));
    await savePolicy({ prisma, actor: await getActor(session), input: body, mode });
    return { ok: true, policy: await getGlobalPolicy({ prisma }) };
  });
export const PUT = write("replace");
export const PATCH = write("patch");
