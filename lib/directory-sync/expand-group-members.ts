import { dnKey } from "./decode-directory-value";
import type { TDirectoryGroupEntry } from "./sync-types";

// The member DNs of a group with nested groups expanded (a group named as a member contributes its own members).
// Cycles and repeats are visited once, so a hostile directory cannot loop the sync. Returns DN keys of non-groups.
export const expandGroupMembers = (options: { groups: Map<string, TDirectoryGroupEntry>; start: string }): Set<string> => {
  const members = new Set<string>();
  const visited = new Set<string>([options.start]);
  const queue = [options.start];
  while (queue.length > 0) {
    const group = options.groups.get(queue.pop()!);
    for (const member of group?.memberDns ?? []) {
      const key = dnKey(member);
      if (options.groups.has(key)) {
        if (!visited.has(key)) {
          visited.add(key);
          queue.push(key);
        }
      } else members.add(key);
    }
  }
  return members;
};
