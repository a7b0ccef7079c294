import { handleAction } from "@/lib/api/handle-action";
import { requirePermission } from "@/lib/auth/require-permission";
import type { TPermission } from "@/lib/auth/permissions";
import type { TActor, TAdminSession } from "@/lib/auth/types";
import type { TFormState } from "@/components/forms/form-state";
import { getActor, getSession } from "./session";

// Later values win: a hidden "false" followed by a checked checkbox reads as "on". Names ending in [] collect arrays.
export const formToObject = (formData: FormData): Record<string, string | string[]> => {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || key.startsWith("$ACTION")) continue;
    if (key.endsWith("[]")) {
      const name = key.slice(0, -2);
      const existing = result[name];
      result[name] = Array.isArray(existing) ? [...existing, value] : [value];
    } else result[key] = value;
  }
  return result;
};

// Every server action goes through here: session, role + admin-MFA check on the server, then the AppError mapping.
export const adminFormAction = async <T>(
  permission: TPermission,
  run: (context: { session: TAdminSession; actor: TActor }) => Promise<T>,
): Promise<TFormState & { data?: T }> => {
  const result = await handleAction(async () => {
    const session = requirePermission(await getSession(), permission);
    return run({ session, actor: await getActor(session) });
  });
  if (!result.ok) return { ok: false, error: result.error, code: result.code, fieldErrors: result.fieldErrors };
  return { ok: true, data: result.data };
};

// Drops the action's data so nothing but the outcome (and explicit `once` values) reaches the browser.
export const outcome = (result: TFormState & { data?: unknown }): TFormState => ({
  ok: result?.ok,
  error: result?.error,
  code: result?.code,
  fieldErrors: result?.fieldErrors,
});
