import { handleAction } from "@/lib/api/handle-action";
import { requirePermission } from "@/lib/auth/require-permission";
import type { TPermission } from "@/lib/auth/permissions";
import type { TActor, TAdminSession } from "@/lib/auth/types";
import type { TFormState } from "@/components/forms/form-state";
import { getActor, getSession } from "./session";

export const formToObject = (formData: FormData): Record<string, string> => {
  const result: Record<string, string> = {};
  // Later values win: a hidden "false" followed by a checked checkbox reads as "on".
  for (const [key, value] of formData.entries()) if (typeof value === "string" && !key.startsWith("$ACTION")) result[key] = value;
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
