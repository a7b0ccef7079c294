import { unlockUser } from "../users/user-actions";
import { CLI_ACTOR } from "./cli-types";
import { defineUserCommand } from "./define-user-command";

export const usersUnlockCommand = defineUserCommand({
  verb: "unlock",
  summary: "Unlock a user locked out after too many second-factor failures, and reset the failure count.",
  act: async ({ prisma, user }) => {
    // What the unlock's own transaction read and wrote, not this command's earlier read (a disable may have raced it).
    const { before, after } = await unlockUser({ prisma, actor: CLI_ACTOR, id: user.id });
    return { before, after, note: `failed attempts reset (were ${user.failedAttempts})` };
  },
});
