import { randomBytes } from "node:crypto";
import type { TPrisma } from "../../lib/db";
import { encryptSecret } from "../../lib/secrets/envelope";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export const seedApplication = async (options: {
  prisma: TPrisma;
  primaryAuthMode: "radius" | "ldap" | "local" | "none";
  newUserPolicy?: "require_enrollment" | "allow_without_2fa" | "deny";
  factorEntry?: "append" | "challenge" | "both";
  passThroughAll?: boolean;
  passThroughAttrs?: string[];
}) => {
  const application = await options.prisma.application.create({
    data: {
      name: unique("app"),
      ikey: randomBytes(10).toString("hex").toUpperCase().slice(0, 20),
      skey: encryptSecret(randomBytes(20).toString("hex")),
      primaryAuthMode: options.primaryAuthMode,
      factorEntry: options.factorEntry ?? "both",
      passThroughAll: options.passThroughAll ?? true,
      passThroughAttrs: options.passThroughAttrs ?? [],
    },
  });
  await options.prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: options.newUserPolicy ?? "allow_without_2fa" } });
  return application;
};

export const seedClient = (options: { prisma: TPrisma; applicationId: string; address?: string; secret: string; requireMessageAuthenticator?: boolean }) =>
  options.prisma.radiusClient.create({
    data: {
      name: unique("client"),
      address: options.address ?? "127.0.0.1",
      secret: encryptSecret(options.secret),
      requireMessageAuthenticator: options.requireMessageAuthenticator ?? true,
      applicationId: options.applicationId,
    },
  });

export const seedUpstream = (options: { prisma: TPrisma; applicationId: string; port: number; secret: string; position: number; timeoutMs?: number; retries?: number; accountingPort?: number }) =>
  options.prisma.primaryAuthServer.create({
    data: {
      name: unique("upstream"),
      kind: "radius",
      applicationId: options.applicationId,
      host: "127.0.0.1",
      port: options.port,
      accountingPort: options.accountingPort,
      secret: encryptSecret(options.secret),
      timeoutMs: options.timeoutMs ?? 500,
      retries: options.retries ?? 0,
      position: options.position,
    },
  });
