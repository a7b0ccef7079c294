-- Client-generated id so a replayed accounting spool never inserts a record twice (as AuthEvent.eventId does).
-- Nullable: rows written before this migration have none.
ALTER TABLE "AccountingEvent" ADD COLUMN "eventId" UUID;

CREATE UNIQUE INDEX "AccountingEvent_eventId_key" ON "AccountingEvent"("eventId");
