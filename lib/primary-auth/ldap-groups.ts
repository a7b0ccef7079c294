import type { Client } from "ldapts";
import { escapeLdapFilterValue } from "./ldap-filter";

const IN_CHAIN_RULE = "1.2.840.113556.1.4.1941";
const MAX_NESTING = 10;

const asStrings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => (Buffer.isBuffer(item) ? item.toString("utf8") : String(item)));

// Group DNs of a user, per the server's `groupAttribute`:
// - "memberOf" (default): the attribute on the user entry (direct groups; AD and slapd's memberof overlay).
// - "member" (or "uniqueMember"): search groups whose attribute names the user, then the groups naming those groups,
//   so nested groups are found on directories without AD's matching rule.
// - "member:1.2.840.113556.1.4.1941:": AD's LDAP_MATCHING_RULE_IN_CHAIN, the whole nesting resolved by the server.
export const readLdapGroups = async (options: {
  client: Client;
  userDn: string;
  userEntry: Record<string, unknown>;
  groupAttribute: string | null;
  baseDn: string;
}): Promise<string[]> => {
  const attribute = options.groupAttribute?.trim() || "memberOf";
  if (attribute.toLowerCase() === "memberof") return asStrings(options.userEntry.memberOf ?? options.userEntry.memberof);

  const searchMembersOf = async (dn: string) => {
    const { searchEntries } = await options.client.search(options.baseDn, {
      scope: "sub",
      filter: `(${attribute}=${escapeLdapFilterValue(dn)})`,
      attributes: ["dn"],
      sizeLimit: 1000,
    });
    return searchEntries.map((entry) => entry.dn);
  };

  const found = new Set(await searchMembersOf(options.userDn));
  if (attribute.includes(IN_CHAIN_RULE)) return [...found];
  let frontier = [...found];
  for (let depth = 0; depth < MAX_NESTING && frontier.length > 0; depth += 1) {
    const next: string[] = [];
    for (const groupDn of frontier) {
      for (const parent of await searchMembersOf(groupDn)) {
        if (!found.has(parent)) {
          found.add(parent);
          next.push(parent);
        }
      }
    }
    frontier = next;
  }
  return [...found];
};
