import type { TPrisma } from "../db";
import type { TSessionIdentity } from "./session-identity";

export const AcctStatus = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

export type TSessionRecord = {
  radiusClientId: string;
  applicationId: string | null;
  nasAddress: string; // the accounting packet's source: where CoA goes
  statusType: number;
  identity: TSessionIdentity;
  userKey: string;
};

// One accounting record applied to RadiusSession. Start/Interim open or refresh the session (a Start re-opens a
// stopped one only after five minutes: sooner, it is a late retransmit of the Start, not a reused id); Stop closes it;
// Accounting-On/Off (the NAS rebooted or shuts down) close every session it had. Times are the database's, in UTC.
export const recordSession = async (options: { prisma: TPrisma; record: TSessionRecord }): Promise<void> => {
  const { prisma, record } = options;
  const { identity } = record;
  switch (record.statusType) {
    case AcctStatus.Start:
    case AcctStatus.InterimUpdate: {
      if (!identity.acctSessionId) return;
      const isStart = record.statusType === AcctStatus.Start;
      await prisma.$executeRaw`
        INSERT INTO "RadiusSession" ("id", "radiusClientId", "applicationId", "nasAddress", "nasIp", "acctSessionId", "username", "userKey",
          "framedIp", "callingStationId", "auditSessionId", "startedAt", "updatedAt")
        VALUES (gen_random_uuid(), ${record.radiusClientId}::uuid, ${record.applicationId}::uuid, ${record.nasAddress}, ${identity.nasIp ?? null},
          ${identity.acctSessionId}, ${identity.userName ?? ""}, ${record.userKey}, ${identity.framedIp ?? null}, ${identity.callingStationId ?? null},
          ${identity.auditSessionId ?? null}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
        ON CONFLICT ("radiusClientId", "acctSessionId") DO UPDATE SET
          "nasAddress" = EXCLUDED."nasAddress",
          "applicationId" = EXCLUDED."applicationId",
          "nasIp" = COALESCE(EXCLUDED."nasIp", "RadiusSession"."nasIp"),
          "username" = CASE WHEN EXCLUDED."username" <> '' THEN EXCLUDED."username" ELSE "RadiusSession"."username" END,
          "userKey" = CASE WHEN EXCLUDED."userKey" <> '' THEN EXCLUDED."userKey" ELSE "RadiusSession"."userKey" END,
          "framedIp" = COALESCE(EXCLUDED."framedIp", "RadiusSession"."framedIp"),
          "callingStationId" = COALESCE(EXCLUDED."callingStationId", "RadiusSession"."callingStationId"),
          "auditSessionId" = COALESCE(EXCLUDED."auditSessionId", "RadiusSession"."auditSessionId"),
          "startedAt" = CASE WHEN "RadiusSession"."stoppedAt" IS NULL THEN "RadiusSession"."startedAt" ELSE EXCLUDED."startedAt" END,
          "updatedAt" = EXCLUDED."updatedAt",
          "stoppedAt" = NULL
        WHERE "RadiusSession"."stoppedAt" IS NULL
          OR (${isStart} AND "RadiusSession"."stoppedAt" < (now() AT TIME ZONE 'UTC') - interval '5 minutes')`;
      return;
    }
    case AcctStatus.Stop:
      if (!identity.acctSessionId) return;
      await prisma.$executeRaw`
        UPDATE "RadiusSession" SET "stoppedAt" = now() AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE "radiusClientId" = ${record.radiusClientId}::uuid AND "acctSessionId" = ${identity.acctSessionId} AND "stoppedAt" IS NULL`;
      return;
    case AcctStatus.AccountingOn:
    case AcctStatus.AccountingOff:
      await prisma.$executeRaw`
        UPDATE "RadiusSession" SET "stoppedAt" = now() AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE "radiusClientId" = ${record.radiusClientId}::uuid AND "nasAddress" = ${record.nasAddress} AND "stoppedAt" IS NULL`;
      return;
    default:
      return;
  }
};

// Stopped sessions are kept a week for the console, then removed.
export const purgeStoppedSessions = (options: { prisma: TPrisma }) =>
  options.prisma.$executeRaw`DELETE FROM "RadiusSession" WHERE "stoppedAt" < (now() AT TIME ZONE 'UTC') - interval '7 days'`;
