import type { TPrisma } from "../db";
import { resolveEffectivePolicy } from "./resolve-effective-policy";

export const getGlobalPolicy = (options: { prisma: TPrisma }) => options.prisma.policy.findFirst({ where: { applicationId: null } });

// What an application gets when it inherits: the global row over the built-in defaults.
export const getEffectiveGlobalPolicy = async (options: { prisma: TPrisma }) => resolveEffectivePolicy({ global: await getGlobalPolicy(options) });

export const listPolicyOverrides = (options: { prisma: TPrisma }) =>
  options.prisma.policy.findMany({ where: { applicationId: { not: null } }, include: { application: { select: { id: true, name: true } } }, orderBy: { updatedAt: "desc" } });
