import type { TApiContext } from "./api-types";
import { DUO_ERRORS, DuoApiError, duoError } from "./duo-error";
import type { TApiParam } from "./parse-form-params";

// The first value of a parameter as the client sent it, bytes and all (a username is checked byte for byte).
export const rawParam = (raw: readonly TApiParam[], name: string): Buffer | undefined => raw.find((param) => param.key.toString("utf8") === name)?.value;

// v2 names the user by `username` or by `user_id` (Twofold's user id, as /admin/v1/users lists it); v1 by `user`.
export const apiUsernameBytes = async (context: TApiContext<{ user_id?: string }>, field: "username" | "user"): Promise<Buffer> => {
  const bytes = rawParam(context.raw, field);
  if (bytes && bytes.length > 0) return bytes;
  const userId = context.params.user_id;
  if (userId) {
    const user = /^[0-9a-f-]{36}$/i.test(userId) ? await context.deps.readUser({ id: userId }) : undefined;
    if (!user) throw new DuoApiError(duoError(DUO_ERRORS.invalidParameter, "user_id"));
    return Buffer.from(user.username, "utf8");
  }
  throw new DuoApiError(duoError(DUO_ERRORS.missingParameter, field === "user" ? "user" : "username or user_id"));
};
