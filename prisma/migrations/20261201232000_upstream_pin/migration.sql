-- MS-CHAPv2 password change: after an upstream server answers E=648 (password expired) for a user at a NAS, the
-- change request that follows goes to that same server, from whichever worker receives it. One row per client and
-- normalized typed name; expired rows are deleted as new ones are written.
CREATE TABLE "UpstreamPin" (
    "clientId" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "serverId" UUID NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UpstreamPin_pkey" PRIMARY KEY ("clientId", "username")
);

CREATE INDEX "UpstreamPin_expiresAt_idx" ON "UpstreamPin"("expiresAt");
