import type { TPrisma } from "../db";
import { resolveEffectivePolicy } from "./resolve-effective-policy";
import { findAliasWarnings, type TAliasWarning } from "./find-alias-warnings";
import { getGlobalPolicy } from "./get-policies";

// The Policies page's alias warnings over what is saved now: the global row, every application and its override.
export const loadAliasWarnings = async ({ prisma }: { prisma: TPrisma }): Promise<TAliasWarning[]> => {
  const [global, applications] = await Promise.all([
    getGlobalPolicy({ prisma }),
    prisma.application.findMany({ select: { id: true, name: true, primaryAuthMode: true, policy: true }, orderBy: { name: "asc" } }),
  ]);
  return findAliasWarnings({
    global: resolveEffectivePolicy({ global }),
    applications: applications.map((app) => ({
      id: app.id,
      name: app.name,
      primaryAuthMode: app.primaryAuthMode,
      effective: resolveEffectivePolicy({ global, application: app.policy }),
      overridesAliasFields: app.policy !== null && (app.policy.newUserPolicy !== null || app.policy.usernameNormalization !== null),
    })),
  });
};
