import { setUserStatus } from "../users/set-user-status";
import { CLI_ACTOR } from "./cli-types";
import { defineUserCommand } from "./define-user-command";

const statusCommand = (options: { verb: "disable" | "enable"; status: "disabled" | "active"; summary: string }) =>
  defineUserCommand({
    verb: options.verb,
    summary: options.summary,
    act: ({ prisma, user }) => setUserStatus({ prisma, actor: CLI_ACTOR, id: user.id, status: options.status }),
  });

export const usersDisableCommand = statusCommand({ verb: "disable", status: "disabled", summary: "Disable a user: every login is rejected (user_disabled) until enabled again." });
export const usersEnableCommand = statusCommand({ verb: "enable", status: "active", summary: "Enable a disabled (or locked-out) user again, with the failure count reset." });
