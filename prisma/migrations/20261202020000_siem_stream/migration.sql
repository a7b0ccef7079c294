-- The SIEM shipper (lib/siem) reads the auth and audit logs in the order their transactions finished, not by id: a
-- BIGSERIAL id is taken at INSERT, so a later id can commit first, and a cursor on id alone would skip the earlier
-- one. Each row records the id of the transaction that wrote it; the shipper reads only rows whose transaction is
-- older than every transaction still running (pg_snapshot_xmin), so no row can appear behind its cursor.
-- Added without a default first, then the default set: existing rows keep NULL (no table rewrite) and are not
-- streamed; every row written from here on has one.
ALTER TABLE "AuthEvent" ADD COLUMN "xactId" BIGINT;
ALTER TABLE "AuthEvent" ALTER COLUMN "xactId" SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX "AuthEvent_xactId_id_idx" ON "AuthEvent"("xactId", "id");

ALTER TABLE "AdminAuditEvent" ADD COLUMN "xactId" BIGINT;
ALTER TABLE "AdminAuditEvent" ALTER COLUMN "xactId" SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX "AdminAuditEvent_xactId_id_idx" ON "AdminAuditEvent"("xactId", "id");

-- One row per SIEM target and stream ("auth", "audit"): the last row the target accepted.
CREATE TABLE "SiemCursor" (
    "target" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "xactId" BIGINT NOT NULL DEFAULT 0,
    "rowId" BIGINT NOT NULL DEFAULT 0,
    "shipped" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SiemCursor_pkey" PRIMARY KEY ("target", "stream")
);
