-- The auth log's name search at 10 M rows (issue 13, bench/auth-log-keyset.ts). The prefix indexes of
-- 20261202060000_name_prefix_search held the name only: a search was a bitmap scan that read every matching row from
-- the heap and sorted them (250 ms for a 100-account prefix, 600 ms per CSV page). Now each also holds (time, id), and
-- the typed name itself (an index-only scan needs the column under lower()), so each arm of the search
-- (lib/auth-log/query-auth-events.ts) is an index-only range scan: 9 ms. Same names, so nothing else changes.
DROP INDEX "AuthEvent_username_prefix_idx";
CREATE INDEX "AuthEvent_username_prefix_idx" ON "AuthEvent" ("username" text_pattern_ops, "time" DESC, "id" DESC);
DROP INDEX "AuthEvent_usernameRaw_lower_prefix_idx";
CREATE INDEX "AuthEvent_usernameRaw_lower_prefix_idx" ON "AuthEvent" (lower("usernameRaw") text_pattern_ops, "time" DESC, "id" DESC) INCLUDE ("usernameRaw");
-- With 50,000 accounts the default 100-bucket histogram guessed a 100-account prefix at 5x its rows, and for a CSV
-- page (LIMIT 501) the planner walked the time index instead (676 ms, against 32 ms on the prefix index). A finer
-- histogram for the two searched names; ANALYZE samples 300,000 rows instead of 30,000 (11 s at 10 M rows here).
ALTER TABLE "AuthEvent" ALTER COLUMN "username" SET STATISTICS 1000;
ALTER INDEX "AuthEvent_usernameRaw_lower_prefix_idx" ALTER COLUMN 1 SET STATISTICS 1000;
