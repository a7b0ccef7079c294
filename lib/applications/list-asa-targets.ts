import { z } from "zod";
import type { TPrisma } from "../db";

export type TAsaHost = { address: string; authPort: number; acctPort: number };
export type TAsaTargets = { hosts: TAsaHost[]; source: "configured" | "workers" | "none"; notes: string[] };

const DEFAULT_PORTS = { authPort: 1812, acctPort: 1813 };
// Workers silent for longer than this are gone (replaced, renamed): their addresses would send the ASA to nothing.
const FORGET_AFTER_MS = 24 * 3600_000;
const ZConfiguredSchema = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, "an address or host name");

type TRow = { id: string; authPort: number | null; acctPort: number | null; reachableAddresses: string[] };

// Where the ASA sends RADIUS: TWOFOLD_WORKER_ADDRESSES when set (with the ports the workers report), otherwise the
// addresses and ports each worker reports in its heartbeat. Never the bind address: 0.0.0.0 is no destination.
export const listAsaTargets = async (options: { prisma: TPrisma; configured?: string; now?: Date }): Promise<TAsaTargets> => {
  const now = options.now ?? new Date();
  const rows: TRow[] = await options.prisma.workerStatus.findMany({
    where: { heartbeatAt: { gte: new Date(now.getTime() - FORGET_AFTER_MS) } },
    select: { id: true, authPort: true, acctPort: true, reachableAddresses: true },
    orderBy: { id: "asc" },
  });
  const notes: string[] = [];
  const configured = (options.configured ?? "").split(",").map((item) => item.trim()).filter(Boolean);
  if (configured.length > 0) {
    const valid = configured.filter((item) => ZConfiguredSchema.safeParse(item).success);
    if (valid.length < configured.length) notes.push(`TWOFOLD_WORKER_ADDRESSES has entries that are no address and were left out: ${configured.filter((item) => !valid.includes(item)).join(", ")}.`);
    const ports = new Set(rows.filter((row) => row.authPort !== null).map((row) => `${row.authPort}/${row.acctPort}`));
    const [agreed] = ports;
    const [authPort, acctPort] = ports.size === 1 && agreed ? agreed.split("/").map(Number) : [DEFAULT_PORTS.authPort, DEFAULT_PORTS.acctPort];
    if (ports.size !== 1) notes.push(ports.size === 0 ? "No worker has reported its ports yet: 1812/1813 shown." : `Workers listen on different ports (${[...ports].join(", ")}): 1812/1813 shown; set each host's ports by hand.`);
    return { hosts: [...new Set(valid)].map((address) => ({ address, authPort: authPort ?? 1812, acctPort: acctPort ?? 1813 })), source: "configured", notes };
  }
  const hosts = new Map<string, TAsaHost>();
  for (const row of rows) {
    if (row.reachableAddresses.length > 1) notes.push(`A worker host has several addresses (${row.reachableAddresses.join(", ")}): all are listed; keep the one the ASA reaches, or set TWOFOLD_WORKER_ADDRESSES.`);
    for (const address of row.reachableAddresses) {
      const key = `${address}|${row.authPort}|${row.acctPort}`;
      // A host's worker processes share one address and port: one host block each.
      if (!hosts.has(key)) hosts.set(key, { address, authPort: row.authPort ?? DEFAULT_PORTS.authPort, acctPort: row.acctPort ?? DEFAULT_PORTS.acctPort });
    }
  }
  if (hosts.size === 0) {
    notes.push(rows.length === 0 ? "No worker has reported in yet." : "The workers listen on loopback only or have reported no reachable address.");
    notes.push("Set TWOFOLD_WORKER_ADDRESSES to the addresses the ASA reaches the workers at; the snippet has a placeholder until then.");
    return { hosts: [], source: "none", notes };
  }
  return { hosts: [...hosts.values()], source: "workers", notes: [...new Set(notes)] };
};
