-- RFC 5176 (CoA / Disconnect): the port each NAS listens on for them (Cisco's default 1700, the ASA's
-- `dynamic-authorization port`), and the NAS sessions its accounting reports, so a request from ISE finds its NAS.
ALTER TABLE "RadiusClient" ADD COLUMN "coaPort" INTEGER NOT NULL DEFAULT 1700;

-- One row per NAS session: opened by Accounting Start (or Interim-Update), closed by Stop, Accounting-On/Off.
-- "nasAddress" is the NAS's source address, where CoA for the session is sent; "userKey" the normalized name the
-- console matches users by.
CREATE TABLE "RadiusSession" (
    "id" UUID NOT NULL,
    "radiusClientId" UUID NOT NULL,
    "applicationId" UUID,
    "nasAddress" TEXT NOT NULL,
    "nasIp" TEXT,
    "acctSessionId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "userKey" TEXT NOT NULL,
    "framedIp" TEXT,
    "callingStationId" TEXT,
    "auditSessionId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "RadiusSession_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "RadiusSession_radiusClientId_acctSessionId_key" ON "RadiusSession"("radiusClientId", "acctSessionId");
-- Live sessions by user (console, CoA by User-Name) and by the identifiers ISE sends.
CREATE INDEX "RadiusSession_userKey_live_idx" ON "RadiusSession"("userKey") WHERE "stoppedAt" IS NULL;
CREATE INDEX "RadiusSession_acctSessionId_live_idx" ON "RadiusSession"("acctSessionId") WHERE "stoppedAt" IS NULL;
CREATE INDEX "RadiusSession_framedIp_live_idx" ON "RadiusSession"("framedIp") WHERE "stoppedAt" IS NULL;
CREATE INDEX "RadiusSession_callingStationId_live_idx" ON "RadiusSession"("callingStationId") WHERE "stoppedAt" IS NULL;
CREATE INDEX "RadiusSession_stoppedAt_idx" ON "RadiusSession"("stoppedAt");

ALTER TABLE "RadiusSession" ADD CONSTRAINT "RadiusSession_radiusClientId_fkey" FOREIGN KEY ("radiusClientId") REFERENCES "RadiusClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
