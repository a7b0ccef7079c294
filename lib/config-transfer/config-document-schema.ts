import { z } from "zod";
import { CLASS_VALUE_MAX } from "../auth-flow/class-from-groups";

// `twofold config export` / `config import`: configuration by name, never by id, so a document moves between
// databases. Secrets are never in clear in the file: absent, or envelopes encrypted for one named target key
// (`secrets.keyFingerprint` says which). In memory, after reading, `secret` fields hold plaintext.
const policyFields = {
  newUserPolicy: z.enum(["require_enrollment", "allow_without_2fa", "deny"]).nullable(),
  usernameNormalization: z.enum(["none", "strip_domain"]).nullable(),
  failMode: z.enum(["safe", "secure"]).nullable(),
  lockoutThreshold: z.number().int().nullable(),
  autoUnlockMinutes: z.number().int().nullable(),
  challengeTimeoutSec: z.number().int().nullable(),
  maxChallengeAttempts: z.number().int().nullable(),
  pushTimeoutSec: z.number().int().nullable(),
  pushRateLimitPerHour: z.number().int().nullable(),
  verifiedPush: z.boolean().nullable(),
  // Absent in documents exported before the field existed: those inherit.
  whenNothingTyped: z.enum(["challenge_menu", "push_first"]).nullable().default(null),
  allowedFactorsInherit: z.boolean(),
  allowedFactors: z.array(z.enum(["totp", "hotp", "push_device", "bypass_codes"])),
  authorizedNetworksInherit: z.boolean(),
  authorizedNetworks: z.array(z.string()),
};
export const ZConfigPolicySchema = z.object(policyFields);
export type TConfigPolicy = z.infer<typeof ZConfigPolicySchema>;
export const POLICY_FIELDS = Object.keys(policyFields) as readonly (keyof TConfigPolicy)[];

export const ZConfigGroupSchema = z.object({ name: z.string().min(1), description: z.string().default("") });

export const ZConfigApplicationSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(["radius", "auth_api", "admin_api"]),
  ikey: z.string().optional(),
  skey: z.string().optional(),
  primaryAuthMode: z.enum(["radius", "ldap", "local", "none"]),
  factorEntry: z.enum(["append", "challenge", "both"]),
  appendDelimiter: z.string(),
  passThroughAll: z.boolean(),
  passThroughAttrs: z.array(z.string()),
  permittedGroups: z.array(z.string()).default([]),
  groupMappings: z.array(z.object({ group: z.string().nullable(), directoryGroup: z.string().nullable(), classValue: z.string().min(1).refine((value) => Buffer.byteLength(value) <= CLASS_VALUE_MAX, `longer than ${CLASS_VALUE_MAX} bytes: one Class attribute holds no more`), position: z.number().int() })).default([]),
  policy: ZConfigPolicySchema.nullable().default(null),
});

export const ZConfigRadiusClientSchema = z.object({
  name: z.string().min(1),
  address: z.string().min(1),
  requireMessageAuthenticator: z.boolean(),
  application: z.string().nullable(),
  coaPort: z.number().int().default(1700), // the NAS's CoA/Disconnect port (ASA dynamic-authorization)
  secret: z.string().optional(),
});

export const ZConfigPrimaryServerSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(["radius", "ldap"]),
  application: z.string().nullable(),
  host: z.string().min(1),
  port: z.number().int(),
  accountingPort: z.number().int().nullable().default(null),
  bindDn: z.string().nullable().default(null),
  baseDn: z.string().nullable().default(null),
  userFilter: z.string().nullable().default(null),
  groupAttribute: z.string().nullable().default(null),
  usernameAttribute: z.string().nullable().default(null),
  tlsMode: z.enum(["none", "starttls", "ldaps"]).default("none"),
  timeoutMs: z.number().int(),
  retries: z.number().int(),
  position: z.number().int(),
  secret: z.string().optional(),
});

export const ZConfigDocumentSchema = z.object({
  format: z.literal("twofold-config"),
  version: z.literal(1),
  exportedAt: z.string().optional(),
  secrets: z.discriminatedUnion("mode", [z.object({ mode: z.literal("omitted") }), z.object({ mode: z.literal("encrypted"), keyFingerprint: z.string() })]),
  groups: z.array(ZConfigGroupSchema).default([]),
  globalPolicy: ZConfigPolicySchema.nullable().default(null),
  applications: z.array(ZConfigApplicationSchema).default([]),
  radiusClients: z.array(ZConfigRadiusClientSchema).default([]),
  primaryServers: z.array(ZConfigPrimaryServerSchema).default([]),
});

export type TConfigDocument = z.infer<typeof ZConfigDocumentSchema>;
export type TConfigApplication = z.infer<typeof ZConfigApplicationSchema>;
export type TConfigRadiusClient = z.infer<typeof ZConfigRadiusClientSchema>;
export type TConfigPrimaryServer = z.infer<typeof ZConfigPrimaryServerSchema>;
