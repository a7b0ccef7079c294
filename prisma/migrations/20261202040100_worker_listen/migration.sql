-- What each worker listens on, for the generated ASA configuration (issue 14): its real RADIUS ports and the addresses
-- a NAS can reach it at (its bind address, or its interfaces' when bound to every address; never 0.0.0.0).
ALTER TABLE "WorkerStatus" ADD COLUMN "authPort" INTEGER;
ALTER TABLE "WorkerStatus" ADD COLUMN "acctPort" INTEGER;
ALTER TABLE "WorkerStatus" ADD COLUMN "reachableAddresses" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
