import type { SecureContextOptions } from "node:tls";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { createMailTransport } from "./create-mail-transport";
import { readStoredSmtpSettings } from "./read-smtp-settings";

// The configured SMTP server, or a clear error when there is none yet.
export const loadMailTransport = async (options: { prisma: TPrisma; pool?: boolean; tls?: SecureContextOptions }) => {
  const settings = await readStoredSmtpSettings({ prisma: options.prisma });
  if (!settings) throw new AppError("VALIDATION", "Set up the mail server first (Settings → Email)");
  return { settings, transport: createMailTransport({ settings, pool: options.pool, tls: options.tls }) };
};
