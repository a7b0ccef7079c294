-- One id per login: a NAS that fails over to a second worker makes each worker log the same login (both attached to
-- the one pending push). Both events carry the push request's id, so the dashboard counts the login once.
ALTER TABLE "AuthEvent" ADD COLUMN "loginId" UUID;
CREATE INDEX "AuthEvent_loginId_idx" ON "AuthEvent"("loginId") WHERE "loginId" IS NOT NULL;

-- Duo-compatible API, async=1: the txid is a row, so /status and /auth_status may land on any worker. The worker that
-- runs the decision writes it here; `waitingReplies` keeps "still waiting" to one answer per txid across workers.
CREATE TABLE "ApiTransaction" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "pushing" BOOLEAN NOT NULL DEFAULT false,
    "decision" JSONB,
    "waitingReplies" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "ApiTransaction_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "ApiTransaction_expiresAt_idx" ON "ApiTransaction"("expiresAt");
