import type { TPrisma } from "../db";
import { SMTP_SETTING_KEY, ZStoredSmtpSettingsSchema, type TSmtpSettingsView, type TStoredSmtpSettings } from "./smtp-settings-schema";

type TSettingReader = Pick<TPrisma, "setting">;

export const readStoredSmtpSettings = async (options: { prisma: TSettingReader }): Promise<TStoredSmtpSettings | undefined> => {
  const row = await options.prisma.setting.findUnique({ where: { key: SMTP_SETTING_KEY } });
  if (!row) return undefined;
  const parsed = ZStoredSmtpSettingsSchema.safeParse(JSON.parse(row.value));
  if (!parsed.success) throw new Error("The stored SMTP settings are unreadable: save them again in Settings → Email");
  return parsed.data;
};

export const viewSmtpSettings = async (options: { prisma: TSettingReader }): Promise<TSmtpSettingsView | undefined> => {
  const stored = await readStoredSmtpSettings(options);
  if (!stored) return undefined;
  const { passwordEnvelope, ...view } = stored;
  return { ...view, hasPassword: passwordEnvelope !== undefined };
};
