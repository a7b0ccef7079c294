import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { startSiemShipper, type TSiemShipperStats } from "../lib/siem/start-siem-shipper";
import type { TWorkerSiemConfig } from "./siem-config-from-env";

// The configuration lives apart (worker/siem-config-from-env.ts) so worker/main.ts can read it without loading lib/siem.
export { siemConfigFromEnv, type TWorkerSiemConfig } from "./siem-config-from-env";

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
