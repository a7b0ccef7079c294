import { findIgnoredServer } from "../applications/find-ignored-settings";
import type { TPrisma } from "../db";

export type TIgnoringApplication = { serverId: string; applicationId: string; applicationName: string; warning: string };

// Seen from the server's side (its page, the server list): each attached application whose primary mode makes no use
// of the server's password checks, with the application page's own words (lib/applications/find-ignored-settings.ts).
// Without serverIds: every attached server.
export const findIgnoringApplications = async ({ prisma, serverIds }: { prisma: TPrisma; serverIds?: string[] }): Promise<TIgnoringApplication[]> => {
  const servers = await prisma.primaryAuthServer.findMany({
    where: { applicationId: { not: null }, ...(serverIds ? { id: { in: serverIds } } : {}) },
    select: { id: true, name: true, kind: true, accountingPort: true, application: { select: { id: true, name: true, kind: true, primaryAuthMode: true } } },
  });
  return servers.flatMap((server) => {
    const application = server.application;
    const warning = application ? findIgnoredServer({ application, server }) : undefined;
    return application && warning ? [{ serverId: server.id, applicationId: application.id, applicationName: application.name, warning }] : [];
  });
};
