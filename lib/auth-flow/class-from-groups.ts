import type { TSnapshotGroupMapping } from "../config/snapshot-schema";

// One Class attribute holds 253 bytes; "OU=" and ";" take 4. Several Class attributes are not one value (the ASA
// would read a split group-policy name), so a longer value is refused where it is configured, never split.
export const CLASS_VALUE_MAX = 249;

// ASA group policy without an upstream RADIUS: the first mapping (admin order) whose Twofold group or directory group
// the user is in gives Class = "OU=<value>;". Directory group names compare case-insensitively (AD does).
export const classFromGroups = (options: { mappings: readonly TSnapshotGroupMapping[]; twofoldGroupIds: readonly string[]; directoryGroups: readonly string[] }): string | undefined => {
  const ids = new Set(options.twofoldGroupIds);
  const directory = new Set(options.directoryGroups.map((group) => group.toLowerCase()));
  const sorted = [...options.mappings].sort((a, b) => a.position - b.position);
  for (const mapping of sorted) {
    const hit = (mapping.groupId !== null && ids.has(mapping.groupId)) || (mapping.directoryGroup !== null && directory.has(mapping.directoryGroup.toLowerCase()));
    if (!hit) continue;
    const value = mapping.classValue.trim();
    return /^OU=/i.test(value) ? (value.endsWith(";") ? value : `${value};`) : `OU=${value};`;
  }
  return undefined;
};
