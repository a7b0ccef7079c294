import type { TPrisma } from "../db";
import type { TConfigDocument } from "../config-transfer/config-document-schema";
import { applyConfigPlan, planConfigImport } from "../config-transfer/plan-config-import";
import { CLI_ACTOR, EXIT, type TCliIo } from "./cli-types";
import { planAsJson, printConfigPlan } from "./print-config-plan";

// Shared by `config import` and `import-duo-proxy`: the diff first, then (without --dry-run) the changes. A step
// that cannot be done stops the whole import unless --skip-problems: half a migration is worse than none.
export const runConfigPlan = async (options: {
  prisma: TPrisma;
  io: TCliIo;
  document: TConfigDocument;
  notes?: string[];
  dryRun: boolean;
  skipProblems: boolean;
  json: boolean;
}): Promise<number> => {
  const { io } = options;
  const plan = await planConfigImport({ prisma: options.prisma, document: options.document, notes: options.notes });
  const problems = plan.steps.filter((step) => step.action === "skip").length;
  const blocked = problems > 0 && !options.skipProblems;
  const apply = !options.dryRun && !blocked;
  if (!options.json) printConfigPlan({ plan, io });
  const applied = apply ? await applyConfigPlan({ prisma: options.prisma, actor: CLI_ACTOR, plan }) : 0;
  if (options.json) io.out(JSON.stringify({ dryRun: options.dryRun, applied: apply, changes: applied, ...planAsJson(plan) }));
  else if (apply) io.out(`applied ${applied} change(s)`);
  else if (!options.dryRun) io.err(`nothing applied: ${problems} step(s) cannot be imported (fix them, or --skip-problems to apply the rest)`);
  else io.out("dry run: nothing was changed");
  return blocked ? EXIT.failure : EXIT.ok;
};
