import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { TServerEnv } from "../lib/env/server-env";
import type { TSiemFacility, TSiemTarget } from "../lib/siem/siem-target-schema";
import { startSiemShipper, type TSiemShipperStats } from "../lib/siem/start-siem-shipper";

export type TWorkerSiemConfig = {
  targets: TSiemTarget[];
  facility?: TSiemFacility;
  caFile?: string;
  pollMs?: number;
  electionMs?: number;
  retryMaxMs?: number;
  batchSize?: number;
};

export const siemConfigFromEnv = (env: TServerEnv): TWorkerSiemConfig | undefined =>
  env.TWOFOLD_SIEM_TARGETS.length === 0 ? undefined : { targets: env.TWOFOLD_SIEM_TARGETS, facility: env.TWOFOLD_SIEM_FACILITY, caFile: env.TWOFOLD_SIEM_CA_FILE };

// Every worker process is a candidate; lib/siem elects one. The CA file is read here so a wrong path stops the start
// instead of failing every TLS batch later.
export const startWorkerSiem = (options: { databaseUrl: string; siem: TWorkerSiemConfig; log: (line: string) => void }): { stop: () => Promise<void>; stats: () => TSiemShipperStats } => {
  const { siem } = options;
  const ca = siem.caFile ? readFileSync(siem.caFile) : undefined;
  return startSiemShipper({
    databaseUrl: options.databaseUrl,
    targets: siem.targets,
    facility: siem.facility ?? "authpriv",
    hostname: hostname(),
    ca,
    log: options.log,
    pollMs: siem.pollMs,
    electionMs: siem.electionMs,
    retryMaxMs: siem.retryMaxMs,
    batchSize: siem.batchSize,
  });
};
