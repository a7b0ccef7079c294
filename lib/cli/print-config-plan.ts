import type { TConfigPlan } from "../config-transfer/config-plan-types";
import type { TCliIo } from "./cli-types";

const MARK = { create: "+", update: "~", unchanged: "=", skip: "!" } as const;

export const planAsJson = (plan: TConfigPlan) => ({
  steps: plan.steps.map(({ entity, name, action, changes, problem }) => ({ entity, name, action, changes, ...(problem ? { problem } : {}) })),
  notes: plan.notes,
});

// "+ create, ~ update, = unchanged, ! cannot": the diff an admin reads before saying yes.
export const printConfigPlan = (options: { plan: TConfigPlan; io: TCliIo }) => {
  const { plan, io } = options;
  const width = Math.max(0, ...plan.steps.map((step) => `${step.entity} ${step.name}`.length));
  for (const step of plan.steps) {
    const what = `${step.entity} ${step.name}`.padEnd(width);
    const detail = step.problem ? `cannot: ${step.problem}` : step.changes.join("; ");
    io.out(`${MARK[step.action]} ${what}${detail ? `  ${detail}` : ""}`);
  }
  if (plan.notes.length > 0) io.out(["", "Not mapped / to check:", ...plan.notes.map((note) => `  - ${note}`)].join("\n"));
  const count = (action: keyof typeof MARK) => plan.steps.filter((step) => step.action === action).length;
  io.out(`\n${count("create")} to create, ${count("update")} to update, ${count("unchanged")} unchanged, ${count("skip")} cannot be imported`);
};
