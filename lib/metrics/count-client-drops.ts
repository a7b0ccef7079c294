import { z } from "zod";

// Drops of requests that matched a configured RADIUS client (wrong secret, missing Message-Authenticator, …): the
// ones an admin can act on per device. Unknown sources are not here — they have no client to file them under — but in
// the per-reason totals. Keyed by client id (a rename keeps the count), bounded by the configured clients.
export const ZClientDropsSchema = z.record(z.string(), z.object({ name: z.string(), total: z.number().int().min(0), reasons: z.record(z.string(), z.number().int().min(0)) }));
export type TClientDrops = z.infer<typeof ZClientDropsSchema>;

export type TClientDropCounter = {
  count: (client: { id: string; name: string }, reason: string) => void;
  snapshot: () => TClientDrops;
};

export const createClientDropCounter = (): TClientDropCounter => {
  const byClient = new Map<string, { name: string; total: number; reasons: Map<string, number> }>();
  return {
    count: (client, reason) => {
      let entry = byClient.get(client.id);
      if (!entry) byClient.set(client.id, (entry = { name: client.name, total: 0, reasons: new Map() }));
      entry.name = client.name;
      entry.total += 1;
      entry.reasons.set(reason, (entry.reasons.get(reason) ?? 0) + 1);
    },
    snapshot: () => Object.fromEntries([...byClient].map(([id, entry]) => [id, { name: entry.name, total: entry.total, reasons: Object.fromEntries(entry.reasons) }])),
  };
};
