import { z } from "zod";
import { CLASS_VALUE_MAX } from "../auth-flow/class-from-groups";
import { ZPolicyRowSchema as ZPolicyFieldsSchema } from "../policy/policy-schemas";
import type { TCidr } from "../net/cidr";
import { isRadiusSecret, type TRadiusSecret } from "../radius/radius-secret";

// The worker's view of configuration: every row validated, every secret decrypted, frozen once built.
// Rows arrive from Postgres; a row that fails here is skipped and reported in `problems` rather than
// taking the whole worker down.

const id = z.string().min(1);
// Prepared once from `secret` when the snapshot loads, so no packet pays for building an HMAC key.
const ZRadiusSecretSchema = z.custom<TRadiusSecret>(isRadiusSecret, "shared secret not prepared");

export const ZSnapshotClientSchema = z.object({
  id,
  key: z.string(), // = id; lets `longestPrefixMatch(snapshot.clients, ip)` break ties deterministically
  name: z.string().min(1),
  address: z.string(),
  cidr: z.custom<TCidr>((value) => typeof value === "object" && value !== null && "prefix" in value),
  secret: z.string().min(1, "shared secret is empty"),
  radiusSecret: ZRadiusSecretSchema,
  requireMessageAuthenticator: z.boolean(),
  applicationId: z.string().nullable(),
  coaPort: z.number().int().min(1).max(65535), // CoA/Disconnect for this NAS's sessions go here (lib/coa)
});
export type TSnapshotClient = z.infer<typeof ZSnapshotClientSchema>;

export const ZTlsModeSchema = z.enum(["none", "starttls", "ldaps"]);
export type TTlsMode = z.infer<typeof ZTlsModeSchema>;

export const ZSnapshotPrimaryServerSchema = z.object({
  id,
  name: z.string(),
  kind: z.enum(["radius", "ldap"]),
  host: z.string().min(1, "host is empty"),
  port: z.number().int().min(1).max(65535),
  accountingPort: z.number().int().min(1).max(65535).nullable(),
  secret: z.string().nullable(), // decrypted RADIUS shared secret or LDAP bind password
  radiusSecret: ZRadiusSecretSchema.optional(), // RADIUS servers with a secret
  bindDn: z.string().nullable(),
  baseDn: z.string().nullable(),
  userFilter: z.string().nullable(),
  // LDAP group lookup: "memberOf" (attribute on the user), "member" (search groups with member=<dn>, nested groups
  // expanded client-side), or "member:1.2.840.113556.1.4.1941:" (AD in-chain rule, nested groups server-side).
  groupAttribute: z.string().nullable(),
  // LDAP: the attribute naming the account canonically (sAMAccountName, uid, userPrincipalName); null = AD/OpenLDAP default.
  usernameAttribute: z.string().nullable(),
  tlsMode: ZTlsModeSchema,
  timeoutMs: z.number().int().min(1),
  retries: z.number().int().min(0),
  position: z.number().int(),
});
export type TSnapshotPrimaryServer = z.infer<typeof ZSnapshotPrimaryServerSchema>;

export const ZSnapshotGroupMappingSchema = z.object({
  id,
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  directoryGroup: z.string().nullable(),
  classValue: z.string().min(1, "class value is empty").refine((value) => Buffer.byteLength(value) <= CLASS_VALUE_MAX, `class value is longer than ${CLASS_VALUE_MAX} bytes (one Class attribute)`),
  position: z.number().int(),
});
export type TSnapshotGroupMapping = z.infer<typeof ZSnapshotGroupMappingSchema>;

export const ZSnapshotApplicationSchema = z.object({
  id,
  name: z.string(),
  kind: z.enum(["radius", "auth_api", "admin_api"]),
  ikey: z.string().length(20),
  skey: z.string().min(1, "secret key is empty"), // decrypted: the worker's Duo-compatible API verifies signatures with it
  primaryAuthMode: z.enum(["radius", "ldap", "local", "none"]),
  factorEntry: z.enum(["append", "challenge", "both"]),
  appendDelimiter: z.string(),
  passThroughAll: z.boolean(),
  passThroughAttrs: z.array(z.string()),
  permittedGroups: z.array(z.object({ id, name: z.string() })),
  groupMappings: z.array(ZSnapshotGroupMappingSchema), // ordered by position
  primaryAuthServers: z.array(ZSnapshotPrimaryServerSchema), // ordered by position
});
export type TSnapshotApplication = z.infer<typeof ZSnapshotApplicationSchema>;

// Raw policy row (nulls mean "inherit" in an override), as lib/policy defines it; the snapshot requires the row id.
export const ZPolicyRowSchema = ZPolicyFieldsSchema.extend({ id });
export type TPolicyRow = z.infer<typeof ZPolicyRowSchema>;

export const ZConfigProblemSchema = z.object({
  table: z.string(),
  rowId: z.string(),
  field: z.string(),
  message: z.string(), // "RadiusClient 6f1c…: address: Host bits are set…", ready for a log line
  // true: the row was left out of the snapshot. false: loaded, but it cannot work as configured (a warning).
  skipped: z.boolean(),
});
export type TConfigProblem = z.infer<typeof ZConfigProblemSchema>;

export const ZConfigSnapshotSchema = z.object({
  version: z.number().int().min(0),
  loadedAt: z.date(),
  clients: z.array(ZSnapshotClientSchema),
  applications: z.array(ZSnapshotApplicationSchema),
  globalPolicy: ZPolicyRowSchema.nullable(),
  policyOverrides: z.array(ZPolicyRowSchema), // one per application at most
  problems: z.array(ZConfigProblemSchema),
});
export type TConfigSnapshot = z.infer<typeof ZConfigSnapshotSchema>;
