import { z } from "zod";
import { errorText, type TDoctorCheck } from "./doctor-types";
import { createPgClient } from "../db/pg-connection";

// TOTP codes change every 30 s and are checked against this host's clock, while expiries and replay guards are
// written by several hosts into one database: hosts that disagree by seconds disagree about which code is current.
export const MAX_CLOCK_SKEW_MS = 5000;

const ZClockSchema = z.object({ ms: z.number() });

// The sample with the shortest round trip: its midpoint is the best estimate of when the server read its clock.
export const checkClockSkew = async (options: { databaseUrl: string; maxSkewMs?: number }): Promise<TDoctorCheck> => {
  const maxSkewMs = options.maxSkewMs ?? MAX_CLOCK_SKEW_MS;
  const client = createPgClient(options.databaseUrl, { connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    let best: { skew: number; rtt: number } | undefined;
    for (let sample = 0; sample < 5; sample += 1) {
      const before = Date.now();
      const { rows } = await client.query("SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::float8 AS ms");
      const after = Date.now();
      const server = ZClockSchema.parse(rows[0]).ms;
      const rtt = after - before;
      if (!best || rtt < best.rtt) best = { skew: server - (before + after) / 2, rtt };
    }
    const skew = Math.round(best?.skew ?? 0);
    const detail = `database clock ${Math.abs(skew)} ms ${skew >= 0 ? "ahead of" : "behind"} this host (±${Math.ceil((best?.rtt ?? 0) / 2)} ms)`;
    return Math.abs(skew) <= maxSkewMs
      ? { name: "clock", ok: true, detail }
      : { name: "clock", ok: false, detail: `${detail}: more than ${maxSkewMs} ms; run NTP (chrony, systemd-timesyncd) on both` };
  } catch (error) {
    return { name: "clock", ok: false, detail: errorText(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
};
