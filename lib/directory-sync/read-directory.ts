import type { ConnectionOptions } from "node:tls";
import type { Client, Entry } from "ldapts";
import { nameAttributes, openDirectory, type TDirectoryServer } from "./open-directory";
import { readRangedMembers } from "./read-ranged-members";
import type { TDirectoryGroupEntry, TDirectoryRead, TDirectoryUserEntry } from "./sync-types";

export type TSyncSearch = { userBaseDn: string | null; userFilter: string; groupBaseDn: string | null; groupFilter: string; displayNameAttribute: string; emailAttribute: string };

const PAGE_SIZE = 500; // OpenLDAP's and AD's default size limits are 500 and 1000 per page: stay under both
const ID_ATTRIBUTES = ["entryUUID", "objectGUID"];

const pick = (entry: Entry, names: string[]): Buffer | undefined => {
  for (const name of names) {
    const key = Object.keys(entry).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : entry[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (Buffer.isBuffer(first) && first.length > 0) return first;
  }
  return undefined;
};

const all = (entry: Entry, names: string[]): string[] =>
  Object.keys(entry)
    .filter((key) => names.some((name) => name.toLowerCase() === key.toLowerCase()))
    .flatMap((key) => {
      const value = entry[key];
      return (Array.isArray(value) ? value : [value]).map((item) => (Buffer.isBuffer(item) ? item.toString("utf8") : String(item)));
    })
    // uniqueMember may carry "#'0101'B" (RFC 4519 nameAndOptionalUID) after the DN.
    .map((dn) => dn.replace(/#'[01]*'B$/, ""));

// Paged searches (RFC 2696): a directory with more entries than its size limit is read whole, or the sync fails;
// a partial read never passes for the full directory (that would disable everybody past the limit).
const search = async (client: Client, baseDn: string, filter: string, attributes: string[], buffers: string[]) =>
  (await client.search(baseDn, { scope: "sub", filter, attributes, explicitBufferAttributes: buffers, paged: { pageSize: PAGE_SIZE } })).searchEntries;

export const readGroups = async (client: Client, baseDn: string, filter: string): Promise<TDirectoryGroupEntry[]> => {
  const entries = await search(client, baseDn, filter, ["cn", "member", "uniqueMember", ...ID_ATTRIBUTES], ["cn", ...ID_ATTRIBUTES]);
  const groups: TDirectoryGroupEntry[] = [];
  for (const entry of entries) {
    const ranged = await readRangedMembers(client, entry);
    const memberDns = ranged ? [...all(entry, ["member", "uniqueMember"]), ...ranged].map((dn) => dn.replace(/#'[01]*'B$/, "")) : all(entry, ["member", "uniqueMember"]);
    groups.push({ dn: entry.dn, id: pick(entry, ID_ATTRIBUTES), name: pick(entry, ["cn"]), memberDns });
  }
  return groups;
};

export const readDirectory = async (options: { server: TDirectoryServer; search: TSyncSearch; tlsOptions?: ConnectionOptions }): Promise<TDirectoryRead> => {
  const { server, search: settings } = options;
  const baseDn = server.baseDn ?? "";
  const names = nameAttributes(server);
  const textAttributes = [...names, settings.displayNameAttribute, "cn", settings.emailAttribute, "userAccountControl", ...ID_ATTRIBUTES];
  const client = await openDirectory({ server, tlsOptions: options.tlsOptions });
  try {
    const userEntries = await search(client, settings.userBaseDn ?? baseDn, settings.userFilter, textAttributes, textAttributes);
    const users: TDirectoryUserEntry[] = userEntries.map((entry) => ({
      dn: entry.dn,
      id: pick(entry, ID_ATTRIBUTES),
      name: pick(entry, names),
      displayName: pick(entry, [settings.displayNameAttribute, "cn"]), // OpenLDAP entries often have only cn
      email: pick(entry, [settings.emailAttribute]),
      accountControl: pick(entry, ["userAccountControl"]),
    }));
    const groups = await readGroups(client, settings.groupBaseDn ?? baseDn, settings.groupFilter);
    return { users, groups };
  } finally {
    await client.unbind().catch(() => {});
  }
};
