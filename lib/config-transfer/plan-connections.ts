import { randomUUID } from "node:crypto";
import type { TPrisma } from "../db";
import { parseCidr } from "../net/cidr";
import { savePrimaryAuthServer } from "../primary-auth/manage-primary-auth-servers";
import { ZPrimaryAuthServerSchema } from "../primary-auth/server-schema";
import { createRadiusClient } from "../radius-clients/create-radius-client";
import { ZRadiusClientCreateSchema, ZRadiusClientUpdateSchema } from "../radius-clients/schema";
import { updateRadiusClient } from "../radius-clients/update-radius-client";
import { decryptSecret } from "../secrets/envelope";
import type { TConfigDocument } from "./config-document-schema";
import { diffFields, skip, stepFor, type TIdMap, type TPlanStep } from "./config-plan-types";

const CLIENT_FIELDS = ["address", "requireMessageAuthenticator", "application", "coaPort"] as const;
const SERVER_FIELDS = ["kind", "host", "port", "accountingPort", "bindDn", "baseDn", "userFilter", "groupAttribute", "usernameAttribute", "tlsMode", "timeoutMs", "retries", "position"] as const;
const issues = (error: { issues: { path: PropertyKey[]; message: string }[] }) => error.issues.map((issue) => `${issue.path.map(String).join(".") || "value"}: ${issue.message}`).join("; ");

// "changed" only when the stored secret (readable with this key) differs; one this key cannot open is replaced.
const secretChange = (stored: string | null | undefined, next: string | undefined): string[] => {
  if (next === undefined) return [];
  if (!stored) return ["secret: set"];
  try {
    return decryptSecret(stored) === next ? [] : ["secret: changed"];
  } catch {
    return ["secret: replaced (the stored one does not open with this key)"];
  }
};

const applicationId = (ids: TIdMap, name: string | null) => {
  if (name === null) return undefined;
  const id = ids.applications.get(name);
  if (!id) throw new Error(`application ${name} was not created`);
  return id;
};

export const planRadiusClients = async (options: { prisma: TPrisma; document: TConfigDocument; knownApplications: Set<string> }): Promise<TPlanStep[]> => {
  const rows = await options.prisma.radiusClient.findMany({ omit: { secret: false }, include: { application: { select: { name: true } } } });
  const existing = new Map(rows.map((row) => [row.name, { ...row, application: row.application?.name ?? null }]));
  const firstWithAddress = new Map<string, string>();
  return options.document.radiusClients.map((client) => {
    const before = existing.get(client.name);
    const cidr = parseCidr(client.address);
    const text = "error" in cidr ? client.address : cidr.text;
    // Clients are told apart by source address: one address can belong to one client only.
    const earlier = firstWithAddress.get(text);
    if (earlier) return skip("RADIUS client", client.name, `address ${client.address} is already RADIUS client ${earlier}'s in this file`);
    firstWithAddress.set(text, client.name);
    if (client.application && !options.knownApplications.has(client.application)) return skip("RADIUS client", client.name, `application ${client.application} is neither in the file nor the database`);
    const schema = before ? ZRadiusClientUpdateSchema : ZRadiusClientCreateSchema;
    const parsed = schema.safeParse({ ...client, applicationId: client.application ? randomUUID() : undefined });
    if (!parsed.success) return skip("RADIUS client", client.name, client.secret === undefined && !before ? "no shared secret in the file (create the client in the console)" : issues(parsed.error));
    // Another client with the same prefix would be refused by the console's rule (most specific prefix wins).
    const clash = rows.find((row) => row.name !== client.name && row.address === text);
    if (clash) return skip("RADIUS client", client.name, `address ${client.address} is already RADIUS client ${clash.name}'s`);
    return stepFor({
      entity: "RADIUS client",
      name: client.name,
      exists: Boolean(before),
      changes: [...diffFields(before, client, CLIENT_FIELDS), ...secretChange(before?.secret, client.secret)],
      run: async ({ prisma, actor, ids }) => {
        const input = { ...client, applicationId: applicationId(ids, client.application) };
        if (before) await updateRadiusClient({ prisma, actor, id: before.id, input });
        else await createRadiusClient({ prisma, actor, input });
      },
    });
  });
};

export const planPrimaryServers = async (options: { prisma: TPrisma; document: TConfigDocument; knownApplications: Set<string> }): Promise<TPlanStep[]> => {
  const rows = await options.prisma.primaryAuthServer.findMany({ omit: { secret: false }, include: { application: { select: { name: true } } } });
  const keyOf = (application: string | null, name: string) => `${application ?? ""}\u0000${name}`;
  const existing = new Map(rows.map((row) => [keyOf(row.application?.name ?? null, row.name), row]));
  return options.document.primaryServers.map((server) => {
    const label = `${server.name}${server.application ? ` (${server.application})` : " (global)"}`;
    const before = existing.get(keyOf(server.application, server.name));
    if (server.application && !options.knownApplications.has(server.application)) return skip("primary server", label, `application ${server.application} is neither in the file nor the database`);
    if (!before && server.kind === "radius" && server.secret === undefined) return skip("primary server", label, "no shared secret in the file (add the server in the console)");
    const parsed = ZPrimaryAuthServerSchema.safeParse({ ...server, applicationId: server.application ? randomUUID() : undefined });
    if (!parsed.success) return skip("primary server", label, issues(parsed.error));
    return stepFor({
      entity: "primary server",
      name: label,
      exists: Boolean(before),
      changes: [...diffFields(before, server, SERVER_FIELDS), ...secretChange(before?.secret, server.secret)],
      run: async ({ prisma, actor, ids }) => {
        await savePrimaryAuthServer({ prisma, actor, id: before?.id, input: { ...server, applicationId: applicationId(ids, server.application) } });
      },
    });
  });
};
