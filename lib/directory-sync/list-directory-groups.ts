import type { ConnectionOptions } from "node:tls";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { decryptSecret } from "../secrets/envelope";
import { decodeDirectoryText } from "./decode-directory-value";
import { openDirectory } from "./open-directory";
import { readGroups } from "./read-directory";
import { DEFAULT_GROUP_FILTER } from "./sync-settings-schema";

export type TDirectoryGroupChoice = { dn: string; name: string; members: number; problem?: string };

// The directory's groups for the admin to choose from (the sync's group base and filter), read as the service account.
export const listDirectoryGroups = async (options: { prisma: TPrisma; serverId: string; tlsOptions?: ConnectionOptions }): Promise<TDirectoryGroupChoice[]> => {
  const server = await options.prisma.primaryAuthServer.findUnique({ where: { id: options.serverId }, omit: { secret: false }, include: { directorySync: true } });
  if (!server || server.kind !== "ldap") throw new AppError("NOT_FOUND", "No LDAP server with that id");
  const client = await openDirectory({ server: { ...server, secret: server.secret ? decryptSecret(server.secret) : null }, tlsOptions: options.tlsOptions }).catch((error: unknown) => {
    throw new AppError("UNAVAILABLE", `Could not reach ${server.name}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    const groups = await readGroups(client, server.directorySync?.groupBaseDn ?? server.baseDn ?? "", server.directorySync?.groupFilter ?? DEFAULT_GROUP_FILTER);
    return groups
      .map((group) => {
        const name = decodeDirectoryText(group.name, "group name");
        return { dn: group.dn, name: name?.ok ? name.text : group.dn, members: group.memberDns.length, ...(name && !name.ok ? { problem: name.detail } : {}) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw new AppError("UNAVAILABLE", `Could not list the groups of ${server.name}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await client.unbind().catch(() => {});
  }
};
