import type { Client, Entry } from "ldapts";

// Active Directory answers at most 1500 (MaxValRange) values of "member" per read: a larger group comes back as
// "member;range=0-1499" and the rest must be asked for range by range, until a range ends in "*". Reading only the
// first range would drop members past 1500, and the sync would disable them.
const RANGE = /^(member|uniqueMember);range=(\d+)-(\d+|\*)$/i;

export const rangedMemberKey = (entry: Entry): { key: string; attribute: string; end: number | "*" } | undefined => {
  for (const key of Object.keys(entry)) {
    const match = RANGE.exec(key);
    if (match) return { key, attribute: match[1]!, end: match[3] === "*" ? "*" : Number(match[3]) };
  }
  return undefined;
};

const values = (value: Entry[string] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => (Buffer.isBuffer(item) ? item.toString("utf8") : String(item)));

// The values of the first range plus every later one. A range that does not advance is an error, never a loop.
export const readRangedMembers = async (client: Client, entry: Entry): Promise<string[] | undefined> => {
  let range = rangedMemberKey(entry);
  if (!range) return undefined;
  const members = values(entry[range.key]);
  while (range.end !== "*") {
    const start = range.end + 1;
    const { searchEntries } = await client.search(entry.dn, { scope: "base", filter: "(objectClass=*)", attributes: [`${range.attribute};range=${start}-*`] });
    const next = searchEntries[0] && rangedMemberKey(searchEntries[0]);
    if (!next || (next.end !== "*" && next.end < start)) throw new Error(`group ${entry.dn}: its member range ${start}-* could not be read`);
    members.push(...values(searchEntries[0]![next.key]));
    range = next;
  }
  return members;
};
