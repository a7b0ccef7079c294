import type { TPrisma } from "../db";
import { normalizeUsername } from "../policy/normalize-username";

export type TNormalizationMode = "none" | "strip_domain";

// What a helpdesk search for a person compiles to, as LIKE prefix patterns (wildcards in the input escaped; use with
// ESCAPE '\'): `accounts` for canonical names (the input normalized the way each policy in use would), `typed` for
// the name as the user typed it (compared to lower(...)). `nothing`: input no stored name can contain.
export type TNameSearch = { kind: "all" } | { kind: "nothing" } | { kind: "match"; accounts: string[]; typed: string };

// A name is at most 253 bytes on RADIUS; a longer query finds nobody and is never sent to the database.
export const MAX_NAME_QUERY = 256;
// Stored names never hold control or format characters (refused before the primary); NUL cannot even be sent to
// PostgreSQL, nor a lone surrogate (\p{Cs} in a u-regex matches only unpaired ones).
const UNSTORABLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;

export const escapeLikePrefix = (text: string): string => `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export const buildNameSearch = ({ query, modes }: { query: string | undefined; modes: readonly TNormalizationMode[] }): TNameSearch => {
  const text = (query ?? "").trim();
  if (!text) return { kind: "all" };
  if (text.length > MAX_NAME_QUERY || UNSTORABLE.test(text)) return { kind: "nothing" };
  // "none" always: the input as the canonical spelling (NFKC, case folded), whatever the policies do beyond it.
  const accounts = [...new Set(["none" as const, ...modes].map((mode) => normalizeUsername({ username: text, mode })))].filter(Boolean);
  if (accounts.length === 0) return { kind: "nothing" };
  return { kind: "match", accounts: accounts.map(escapeLikePrefix), typed: escapeLikePrefix(text.toLowerCase()) };
};

// The normalizations in effect: the global policy's (default "none") and every application override's.
export const loadNormalizationModes = async ({ prisma }: { prisma: Pick<TPrisma, "policy"> }): Promise<TNormalizationMode[]> => {
  const rows = await prisma.policy.findMany({ select: { applicationId: true, usernameNormalization: true } });
  const global = rows.find((row) => row.applicationId === null)?.usernameNormalization ?? "none";
  return [...new Set([global, ...rows.flatMap((row) => (row.usernameNormalization ? [row.usernameNormalization] : []))])];
};
