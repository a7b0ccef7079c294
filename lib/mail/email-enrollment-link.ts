import type { SecureContextOptions } from "node:tls";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { loadMailTransport } from "./load-mail-transport";
import { sendEnrollmentEmail } from "./send-enrollment-email";

// The user page's "Send enrollment email".
export const emailEnrollmentLink = async (options: { prisma: TPrisma; actor: TActor; userId: string; baseUrl?: string; tls?: SecureContextOptions }) => {
  const { settings, transport } = await loadMailTransport({ prisma: options.prisma, tls: options.tls });
  try {
    return await sendEnrollmentEmail({ ...options, settings, transport });
  } finally {
    transport.close();
  }
};
