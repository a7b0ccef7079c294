import type { TPrisma } from "../db";
import { fieldError } from "../api/parse-input";
import { parseCidr } from "../net/cidr";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

// Two clients with the same prefix cannot both work: the worker matches one of them by source address and drops the
// other NAS's packets as "wrong shared secret" — a second entry once took a VPN down this way. Refused, inside the
// saving transaction under one advisory lock, so two admins saving at once cannot both slip past the check.
export const checkAddressClash = async (options: { tx: TTx; address: string; exceptId?: string }): Promise<void> => {
  await options.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('twofold:radius-client-address'))`;
  const wanted = parseCidr(options.address);
  if ("error" in wanted) return; // the schema already refused it
  const others = await options.tx.radiusClient.findMany({ where: options.exceptId ? { id: { not: options.exceptId } } : {}, select: { name: true, address: true } });
  const same = others.find((other) => {
    const parsed = parseCidr(other.address);
    return !("error" in parsed) && parsed.family === wanted.family && parsed.prefix === wanted.prefix && parsed.network === wanted.network;
  });
  if (same) throw fieldError("address", `RADIUS client "${same.name}" already has ${wanted.text}: the worker would answer only one of them`);
};
