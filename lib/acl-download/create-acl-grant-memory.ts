// Which upstream server granted (or last paged) a downloadable ACL, so the NAS's download goes back to it. A hint, not
// a gate: an ACL this worker never saw granted (restart, another worker) is asked of the servers in order. A page's
// continuation does not rely on it: the page's State (in PostgreSQL) names its server.
export type TAclGrantMemory = {
  remember: (options: { applicationId: string; aclName: string; serverId: string }) => void;
  serverFor: (options: { applicationId: string; aclName: string }) => string | undefined;
};

export const createAclGrantMemory = (options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}): TAclGrantMemory => {
  const maxEntries = options.maxEntries ?? 10_000;
  const ttlMs = options.ttlMs ?? 24 * 3600_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { serverId: string; expiresAt: number }>();
  const key = (applicationId: string, aclName: string) => `${applicationId}|${aclName}`;
  return {
    remember: ({ applicationId, aclName, serverId }) => {
      const name = key(applicationId, aclName);
      entries.delete(name); // re-inserted last: the Map's order is the eviction order
      entries.set(name, { serverId, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value ?? "");
    },
    serverFor: ({ applicationId, aclName }) => {
      const entry = entries.get(key(applicationId, aclName));
      return entry && entry.expiresAt > now() ? entry.serverId : undefined;
    },
  };
};
