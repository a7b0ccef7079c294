import type { SecureContextOptions } from "node:tls";
import { z } from "zod";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { loadMailTransport } from "./load-mail-transport";

const ZTestMailSchema = z.object({ to: z.email("Enter the address to send the test to").max(200) });

// "Send a test email" on the settings page: the saved settings, one message, the server's exact answer back.
export const sendTestEmail = async (options: { prisma: TPrisma; actor: TActor; input: unknown; tls?: SecureContextOptions }): Promise<{ response: string }> => {
  const { to } = parseInput(ZTestMailSchema, options.input);
  const { settings, transport } = await loadMailTransport({ prisma: options.prisma, tls: options.tls });
  try {
    const info = await transport.sendMail({
      from: settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress,
      to,
      subject: "Twofold test message",
      text: "Twofold can send mail through this server. Enrollment links will arrive the same way.",
    });
    await recordAuditEvent({ db: options.prisma, actor: options.actor, action: "settings.smtp_test", targetType: "Setting", targetId: "smtp", after: { to } });
    return { response: String(info.response ?? "accepted").replace(/[\p{Cc}]/gu, " ").slice(0, 300) };
  } catch (error) {
    throw new AppError("UNAVAILABLE", `The mail server did not take the test message: ${(error instanceof Error ? error.message : String(error)).replace(/[\p{Cc}]/gu, " ").slice(0, 300)}`);
  } finally {
    transport.close();
  }
};
