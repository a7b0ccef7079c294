import type { TPrisma } from "../db";
import { ZPushDetailsSchema, type TPushNotice } from "./push-schemas";

// What an open authenticator shows: the user's pending, unexpired pushes, newest first.
export const listPendingPushes = async ({ prisma, userId, now }: { prisma: TPrisma; userId: string; now: Date }): Promise<TPushNotice[]> => {
  const rows = await prisma.pushRequest.findMany({
    where: { userId, status: "pending", expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { id: true, applicationId: true, createdAt: true, nasIp: true, callingStation: true, verifyNumber: true, details: true },
  });
  const appIds = [...new Set(rows.map((row) => row.applicationId).filter((id): id is string => !!id))];
  const apps = appIds.length ? await prisma.application.findMany({ where: { id: { in: appIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(apps.map((app) => [app.id, app.name]));
  return rows.map((row) => ({
    requestId: row.id,
    application: (row.applicationId && names.get(row.applicationId)) || "",
    time: row.createdAt.toISOString(),
    nasIp: row.nasIp,
    callingStationId: row.callingStation,
    verifyNumber: row.verifyNumber,
    // Written only by createOrAttachPushRequest from parsed pushinfo; anything else in the column is not shown.
    details: ZPushDetailsSchema.safeParse(row.details).data ?? [],
  }));
};
