import { z } from "zod";

const blank = (value: unknown) => (value === "" || value === null ? undefined : value);
const NO_CONTROL = /^[^\p{Cc}\p{Cf}]*$/u;

// none: plain SMTP (a relay on the LAN); starttls: upgrade required, the message is never sent in clear; tls: implicit
// TLS from the first byte (SMTPS, port 465).
export const SMTP_SECURITY = ["none", "starttls", "tls"] as const;

// The console's form (and the API): the password is write-only, blank keeps the stored one.
export const ZSmtpSettingsInputSchema = z.object({
  host: z.string().trim().min(1, "Host is required").max(255).regex(/^[A-Za-z0-9.:_-]+$/, "Use a hostname or an IP address"),
  port: z.coerce.number("Port must be a number").int().min(1, "Port must be 1–65535").max(65535, "Port must be 1–65535"),
  security: z.enum(SMTP_SECURITY, "Choose how the connection is protected"),
  fromAddress: z.email("Enter the sender's address").max(200),
  fromName: z.preprocess(blank, z.string().trim().max(100).regex(NO_CONTROL, "No control characters").optional()),
  username: z.preprocess(blank, z.string().trim().max(200).regex(NO_CONTROL, "No control characters").optional()),
  password: z.preprocess(blank, z.string().max(500).optional()),
  clearPassword: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()).default(false),
});

// As stored in the Setting table: the password only as an AES-GCM envelope (lib/secrets/envelope.ts).
export const ZStoredSmtpSettingsSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  security: z.enum(SMTP_SECURITY),
  fromAddress: z.string(),
  fromName: z.string().optional(),
  username: z.string().optional(),
  passwordEnvelope: z.string().optional(),
});
export type TStoredSmtpSettings = z.infer<typeof ZStoredSmtpSettingsSchema>;

// What the console may show: everything but the password, which is only ever "set" or not.
export type TSmtpSettingsView = Omit<TStoredSmtpSettings, "passwordEnvelope"> & { hasPassword: boolean };

export const SMTP_SETTING_KEY = "smtp";
