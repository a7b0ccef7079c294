import type { TFlowDeps } from "../auth-flow/flow-types";
import type { TWorkerMetrics } from "./create-worker-metrics";

// The primary and the second factor timed where the pipeline calls them (lib/auth-flow), without touching it: the
// wrapped functions are the ones the worker hands the pipeline. A throw is not observed (it becomes reason "error",
// counted with the request).
export const timeFlowDeps = (options: { deps: TFlowDeps; metrics: Pick<TWorkerMetrics, "primary" | "secondFactor"> }): TFlowDeps => {
  const { deps, metrics } = options;
  return {
    ...deps,
    primary: async (input) => {
      const started = performance.now();
      const result = await deps.primary(input);
      metrics.primary(input.application.primaryAuthMode, result.outcome, (performance.now() - started) / 1000);
      return result;
    },
    secondFactor: async (input) => {
      const started = performance.now();
      const outcome = await deps.secondFactor(input);
      metrics.secondFactor(outcome.decision, (performance.now() - started) / 1000);
      return outcome;
    },
  };
};
