-- The console's Disconnect goes through a worker (lib/coa/disconnect-session.ts): the ASA's dynamic-authorization
-- takes Disconnect-Request only from its aaa-server hosts, the workers' RADIUS addresses, never from a console on
-- another host. The console inserts a row and NOTIFYs; one worker claims it (pending -> sending, in one UPDATE), sends
-- it from its CoA transport, and records the NAS's answer here. A row is sent at most once: only a pending row that
-- has not expired can be claimed, and a sending row is never claimed again (a crash mid-send leaves it "lost").
CREATE TABLE "DisconnectRequest" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedById" UUID,
    "requestedByIp" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "answer" TEXT,
    "errorCause" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DisconnectRequest_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "DisconnectRequest_status_check" CHECK ("status" IN ('pending', 'sending', 'acked', 'nak', 'no_answer', 'ended', 'expired', 'lost'))
);

-- What the workers' claim and sweep read: only the open rows, so the index stays as small as the queue.
CREATE INDEX "DisconnectRequest_open_idx" ON "DisconnectRequest"("expiresAt") WHERE "status" IN ('pending', 'sending');
CREATE INDEX "DisconnectRequest_sessionId_idx" ON "DisconnectRequest"("sessionId");
-- One open request per session: a double click must not put two Disconnect-Requests on the wire.
CREATE UNIQUE INDEX "DisconnectRequest_one_open_per_session_key" ON "DisconnectRequest"("sessionId") WHERE "status" IN ('pending', 'sending');

ALTER TABLE "DisconnectRequest" ADD CONSTRAINT "DisconnectRequest_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "RadiusSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
