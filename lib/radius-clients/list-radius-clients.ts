import type { TPrisma } from "../db";

export const listRadiusClients = (options: { prisma: TPrisma }) =>
  options.prisma.radiusClient.findMany({ orderBy: { name: "asc" }, include: { application: { select: { id: true, name: true } } } });

export const getRadiusClient = (options: { prisma: TPrisma; id: string }) =>
  options.prisma.radiusClient.findUnique({ where: { id: options.id } });
