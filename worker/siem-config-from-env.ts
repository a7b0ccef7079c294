import type { TServerEnv } from "../lib/env/server-env";
import type { TSiemFacility, TSiemTarget } from "../lib/siem/siem-target-schema";

// Apart from worker/siem-shipper.ts on purpose: the supervisor of a multi-process host (worker/main.ts) reads this
// configuration to hand it on, and importing the shipper would load lib/siem (TLS, syslog framing) into it.
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
