-- One pending push per login across every worker: a second worker (the ASA failing over) or a retransmit attaches to
-- the pending row instead of creating another. Prisma's schema language cannot express a partial index.
CREATE UNIQUE INDEX "PushRequest_pending_dedupeKey_key" ON "PushRequest"("dedupeKey") WHERE "status" = 'pending';
