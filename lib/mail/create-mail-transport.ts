import { isIP } from "node:net";
import type { SecureContextOptions } from "node:tls";
import nodemailer from "nodemailer";
import { decryptSecret } from "../secrets/envelope";
import type { TStoredSmtpSettings } from "./smtp-settings-schema";

// One SMTP connection (pooled for bulk sends) as the admin configured it. STARTTLS is required when chosen
// (requireTLS: a server that does not offer it fails the send instead of getting the link in clear); "none" never
// upgrades, for a LAN relay with a certificate nobody can verify.
export const createMailTransport = (options: { settings: TStoredSmtpSettings; pool?: boolean; tls?: SecureContextOptions }) => {
  const { settings } = options;
  const auth = settings.username ? { user: settings.username, pass: settings.passwordEnvelope ? decryptSecret(settings.passwordEnvelope) : "" } : undefined;
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth,
    tls: { ...(isIP(settings.host) ? {} : { servername: settings.host }), ...options.tls }, // RFC 6066: no IP as SNI
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(options.pool ? { pool: true as const, maxConnections: 1, maxMessages: 100 } : {}),
  });
};
