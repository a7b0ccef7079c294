import { unlockUser } from "../users/user-actions";
import { CLI_ACTOR } from "./cli-types";
import { defineUserCommand } from "./define-user-command";

export const usersUnlockCommand = defineUserCommand({
  verb: "unlock",
  summary: "Unlock a user locked out after too many second-factor failures, and reset the failure count.",
  act: async ({ prisma, user }) => {
    await unlockUser({ prisma, actor: CLI_ACTOR, id: user.id });
    return { before: user.status, after: user.status === "locked_out" ? "active" : user.status, note: `failed attempts reset (were ${user.failedAttempts})` };
  },
});
