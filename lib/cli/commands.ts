import { adminsListCommand } from "./admins-list-command";
import { configExportCommand, configImportCommand } from "./config-commands";
import { createOwnerCommand } from "./create-owner-command";
import type { TCommand } from "./define-command";
import { doctorCommand } from "./doctor-command";
import { importDuoProxyCommand } from "./import-duo-proxy-command";
import { migrateDeployCommand, migrateStatusCommand } from "./migrate-commands";
import { pruneCommand } from "./prune-command";
import { resetAdmin2faCommand } from "./reset-admin-2fa-command";
import { setupLinkCommand } from "./setup-link-command";
import { usersDisableCommand, usersEnableCommand } from "./users-disable-command";
import { usersImportCommand } from "./users-import-command";
import { usersListCommand } from "./users-list-command";
import { usersUnlockCommand } from "./users-unlock-command";

// In the order `twofold --help` lists them.
export const COMMANDS: readonly TCommand[] = [
  setupLinkCommand,
  createOwnerCommand,
  resetAdmin2faCommand,
  adminsListCommand,
  usersListCommand,
  usersUnlockCommand,
  usersDisableCommand,
  usersEnableCommand,
  usersImportCommand,
  configExportCommand,
  configImportCommand,
  importDuoProxyCommand,
  pruneCommand,
  migrateStatusCommand,
  migrateDeployCommand,
  doctorCommand,
];
