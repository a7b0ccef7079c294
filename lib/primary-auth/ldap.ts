import type { ConnectionOptions } from "node:tls";
import { type Client, InvalidCredentialsError, SizeLimitExceededError } from "ldapts";
import type { TSnapshotPrimaryServer } from "../config/snapshot-schema";
import { buildUserFilter, firstRdnValue } from "./ldap-filter";
import { readLdapGroups } from "./ldap-groups";
import { ldapNameAttributes, openLdapClient } from "./open-ldap-client";
import type { TPrimaryRequest, TPrimaryResult } from "./types";

export type TLdapServer = Pick<
  TSnapshotPrimaryServer,
  "name" | "host" | "port" | "secret" | "bindDn" | "baseDn" | "userFilter" | "groupAttribute" | "usernameAttribute" | "tlsMode" | "timeoutMs"
>;

class LdapReject extends Error {}
class LdapNoIdentity extends Error {}


// The first value of the first identity attribute the entry has (ldapts returns one string or a list per attribute).
const readIdentity = (entry: Record<string, unknown>, names: string[]): string | undefined => {
  for (const name of names) {
    const key = Object.keys(entry).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : entry[key];
    const first = Array.isArray(value) ? value[0] : value;
    const text = Buffer.isBuffer(first) ? first.toString("utf8") : first;
    if (typeof text === "string" && text.trim() !== "") return text;
  }
  return undefined;
};

const isTimeout = (error: unknown) => error instanceof Error && /timeout|timed out|ETIMEDOUT/i.test(`${error.name} ${error.message}`);

// Primary authentication against LDAP/AD: bind as the service account, find the user with an escaped filter, bind as
// the user with the typed password, read groups. An empty password is refused before any bind: LDAP treats a simple
// bind with an empty password as an unauthenticated bind that "succeeds", the classic hole.
export const authenticateLdap = async (options: {
  server: TLdapServer;
  request: Pick<TPrimaryRequest, "username" | "password">;
  tlsOptions?: ConnectionOptions; // e.g. { ca } for a private CA; system CAs otherwise
}): Promise<TPrimaryResult> => {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const { server } = options;
  const password = options.request.password.toString("utf8");
  if (password.length === 0 || options.request.username.length === 0) return { outcome: "reject", ms: ms(), server: server.name };
  if (!server.baseDn) return { outcome: "error", ms: ms(), detail: `LDAP server ${server.name} has no base DN` };

  let client: Client | undefined;
  try {
    client = await openLdapClient({ server, tlsOptions: options.tlsOptions });
    const { searchEntries } = await client
      .search(server.baseDn, {
        scope: "sub",
        filter: buildUserFilter(server.userFilter, options.request.username),
        attributes: ["dn", "memberOf", ...ldapNameAttributes(server)],
        sizeLimit: 2,
      })
      .catch((error: unknown) => {
        // More than two matches: as ambiguous as two, and a reject, not an "error" a fail-open policy might pass.
        if (error instanceof SizeLimitExceededError) throw new LdapReject();
        throw error;
      });
    // Zero entries: unknown user. Two: an ambiguous filter; refusing beats guessing which person this is.
    if (searchEntries.length !== 1 || !searchEntries[0]!.dn) throw new LdapReject();
    const entry = searchEntries[0]!;
    // Twofold's user is the account the directory found, never the spelling typed: "ＡＬＩＣＥ", "alice " and
    // "CORP\\alice" may all bind as uid=alice. An entry without its canonical name cannot be told apart: refuse it.
    const identity = readIdentity(entry, ldapNameAttributes(server));
    if (!identity) throw new LdapNoIdentity(`entry ${entry.dn} has no ${ldapNameAttributes(server).join(" or ")}`);

    try {
      await client.bind(entry.dn, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw new LdapReject();
      throw error;
    }
    // Group lookup as the service account again: users often cannot read group entries themselves.
    if (server.bindDn) await client.bind(server.bindDn, server.secret ?? "");
    const groupDns = await readLdapGroups({ client, userDn: entry.dn, userEntry: entry, groupAttribute: server.groupAttribute, baseDn: server.baseDn });
    return { outcome: "accept", attributes: [], groups: groupDns.map(firstRdnValue), groupDns, identity, ms: ms(), server: server.name };
  } catch (error) {
    if (error instanceof LdapReject) return { outcome: "reject", ms: ms(), server: server.name };
    if (error instanceof LdapNoIdentity) return { outcome: "error", ms: ms(), detail: `LDAP ${server.name}: ${error.message}` };
    const detail = `LDAP ${server.name} (${server.host}:${server.port}): ${error instanceof Error ? error.message : String(error)}`;
    return isTimeout(error) ? { outcome: "timeout", ms: ms(), detail } : { outcome: "error", ms: ms(), detail };
  } finally {
    await client?.unbind().catch(() => {});
  }
};
