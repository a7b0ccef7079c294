import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { encryptSecret } from "../secrets/envelope";
import { readStoredSmtpSettings } from "./read-smtp-settings";
import { SMTP_SETTING_KEY, ZSmtpSettingsInputSchema, type TStoredSmtpSettings } from "./smtp-settings-schema";

const withoutPassword = ({ passwordEnvelope, ...rest }: TStoredSmtpSettings) => ({ ...rest, password: passwordEnvelope ? "set" : "none" });

// Audited with the password reduced to "set"/"changed"/"none": the audit log never holds it, not even encrypted.
export const saveSmtpSettings = async (options: { prisma: TPrisma; actor: TActor; input: unknown }): Promise<void> => {
  const { password, clearPassword, ...input } = parseInput(ZSmtpSettingsInputSchema, options.input);
  await options.prisma.$transaction(async (tx) => {
    const before = await readStoredSmtpSettings({ prisma: tx });
    const passwordEnvelope = password ? encryptSecret(password) : clearPassword ? undefined : before?.passwordEnvelope;
    const after: TStoredSmtpSettings = { ...input, ...(passwordEnvelope ? { passwordEnvelope } : {}) };
    const value = JSON.stringify(after);
    await tx.setting.upsert({ where: { key: SMTP_SETTING_KEY }, create: { key: SMTP_SETTING_KEY, value }, update: { value } });
    await recordAuditEvent({
      db: tx, actor: options.actor, action: "settings.smtp", targetType: "Setting", targetId: SMTP_SETTING_KEY,
      before: before ? withoutPassword(before) : undefined,
      after: { ...withoutPassword(after), ...(password ? { password: "changed" } : {}) },
    });
  });
};
