import type { TPrisma } from "../db";
import { decryptSecret, encryptSecret } from "../secrets/envelope";
import { ZConfigPolicySchema, type TConfigDocument, type TConfigPolicy } from "./config-document-schema";
import { keyFingerprint } from "./key-fingerprint";

// The policy fields only (zod drops id, applicationId, updatedAt).
const pickPolicy = (row: unknown): TConfigPolicy => ZConfigPolicySchema.parse(row);

// Secrets leave the database only re-encrypted for `targetKey` (decrypted here with this installation's key);
// without a target they are left out.
export const exportConfig = async (options: { prisma: TPrisma; targetKey?: Buffer; now?: Date }): Promise<TConfigDocument> => {
  const { prisma, targetKey } = options;
  const seal = (envelope: string | null | undefined) => (targetKey && envelope ? { secret: encryptSecret(decryptSecret(envelope), targetKey) } : {});
  const [groups, policies, applications, clients, servers] = await Promise.all([
    prisma.group.findMany({ orderBy: { name: "asc" } }),
    prisma.policy.findMany(),
    prisma.application.findMany({
      orderBy: { name: "asc" },
      omit: { skey: false },
      include: { permittedGroups: { include: { group: true } }, groupMappings: { include: { group: true }, orderBy: { position: "asc" } } },
    }),
    prisma.radiusClient.findMany({ orderBy: { name: "asc" }, omit: { secret: false }, include: { application: { select: { name: true } } } }),
    prisma.primaryAuthServer.findMany({ orderBy: [{ name: "asc" }, { position: "asc" }], omit: { secret: false }, include: { application: { select: { name: true } } } }),
  ]);
  const global = policies.find((policy) => policy.applicationId === null);
  return {
    format: "twofold-config",
    version: 1,
    exportedAt: (options.now ?? new Date()).toISOString(),
    secrets: targetKey ? { mode: "encrypted", keyFingerprint: keyFingerprint(targetKey) } : { mode: "omitted" },
    groups: groups.map((group) => ({ name: group.name, description: group.description })),
    globalPolicy: global ? pickPolicy(global) : null,
    applications: applications.map((application) => {
      const policy = policies.find((row) => row.applicationId === application.id);
      const skey = seal(application.skey).secret;
      return {
        name: application.name,
        kind: application.kind,
        ikey: application.ikey,
        ...(skey ? { skey } : {}),
        primaryAuthMode: application.primaryAuthMode,
        factorEntry: application.factorEntry,
        appendDelimiter: application.appendDelimiter,
        passThroughAll: application.passThroughAll,
        passThroughAttrs: application.passThroughAttrs,
        permittedGroups: application.permittedGroups.map((permitted) => permitted.group.name).sort(),
        groupMappings: application.groupMappings.map((mapping) => ({ group: mapping.group?.name ?? null, directoryGroup: mapping.directoryGroup, classValue: mapping.classValue, position: mapping.position })),
        policy: policy ? pickPolicy(policy) : null,
      };
    }),
    radiusClients: clients.map((client) => ({
      name: client.name,
      address: client.address,
      requireMessageAuthenticator: client.requireMessageAuthenticator,
      application: client.application?.name ?? null,
      coaPort: client.coaPort,
      ...seal(client.secret),
    })),
    primaryServers: servers.map((server) => ({
      name: server.name,
      kind: server.kind,
      application: server.application?.name ?? null,
      host: server.host,
      port: server.port,
      accountingPort: server.accountingPort,
      bindDn: server.bindDn,
      baseDn: server.baseDn,
      userFilter: server.userFilter,
      groupAttribute: server.groupAttribute,
      usernameAttribute: server.usernameAttribute,
      tlsMode: server.tlsMode === "starttls" || server.tlsMode === "ldaps" ? server.tlsMode : "none",
      timeoutMs: server.timeoutMs,
      retries: server.retries,
      position: server.position,
      ...seal(server.secret),
    })),
  };
};
