import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import type { TConfigDocument } from "./config-document-schema";
import type { TConfigPlan, TIdMap } from "./config-plan-types";
import { initialIds, planApplications, planGroups } from "./plan-applications";
import { planPrimaryServers, planRadiusClients } from "./plan-connections";

// What importing `document` would change, by name: create, update (field by field) or unchanged; nothing is ever
// deleted. A step that cannot be done says why and is skipped. Nothing is written until applyConfigPlan.
export const planConfigImport = async (options: { prisma: TPrisma; document: TConfigDocument; notes?: string[] }): Promise<TConfigPlan> => {
  const { prisma, document } = options;
  const notes = [...(options.notes ?? [])];
  const ids = await initialIds(prisma);
  const knownGroups = new Set([...ids.groups.keys(), ...document.groups.map((group) => group.name)]);
  const groups = await planGroups({ prisma, document });
  const applications = await planApplications({ prisma, document, knownGroups, notes });
  const skippedApplications = new Set(applications.filter((step) => step.entity === "application" && step.action === "skip").map((step) => step.name));
  const knownApplications = new Set([...ids.applications.keys(), ...document.applications.map((application) => application.name).filter((name) => !skippedApplications.has(name))]);
  const clients = await planRadiusClients({ prisma, document, knownApplications });
  const servers = await planPrimaryServers({ prisma, document, knownApplications });
  return { steps: [...groups, ...applications, ...clients, ...servers], notes };
};

// In plan order (groups, applications and their policies, then clients and servers), each through the console's
// own functions: the same validation, the same audit rows, the same config-change notification to the workers.
export const applyConfigPlan = async (options: { prisma: TPrisma; actor: TActor; plan: TConfigPlan }): Promise<number> => {
  const ids: TIdMap = await initialIds(options.prisma);
  let applied = 0;
  for (const step of options.plan.steps) {
    if (!step.run) continue;
    await step.run({ prisma: options.prisma, actor: options.actor, ids });
    applied += 1;
  }
  return applied;
};
