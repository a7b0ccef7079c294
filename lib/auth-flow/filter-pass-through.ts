import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr } from "../radius/constants";
import { attributeName } from "../radius/dictionary";

// Per-hop attributes never pass through; Twofold sets its own.
const NEVER = new Set<number>([Attr.MessageAuthenticator, Attr.ProxyState, Attr.State, Attr.UserPassword]);

// Upstream Access-Accept attributes for the NAS: all, or those whose dictionary name is on the application's
// allow-list (case-insensitive, e.g. "Class", "Cisco-AVPair", "ASA-Group-Policy"). Bytes are never re-encoded.
export const filterPassThrough = (options: { attributes: readonly TRadiusAttribute[]; passThroughAll: boolean; passThroughAttrs: readonly string[] }): TRadiusAttribute[] => {
  const candidates = options.attributes.filter((attr) => !NEVER.has(attr.type));
  if (options.passThroughAll) return candidates;
  const allowed = new Set(options.passThroughAttrs.map((name) => name.trim().toLowerCase()));
  return candidates.filter((attr) => allowed.has(attributeName(attr).toLowerCase()));
};
