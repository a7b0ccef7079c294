-- Every passcode login rewrites its "User" row (failure counter, last seen) and its "Authenticator" row (last used step)
-- in one statement. Neither change touches an indexed column, so PostgreSQL can make both heap-only (HOT: no new entry
-- in any of the User table's seven indexes or the Authenticator table's four) — but only when the new version fits on
-- the same page. Densely packed pages (fillfactor 100, e.g. users just imported) left about 40 % of a rush's updates
-- non-HOT. 80 leaves a fifth of each page for those versions. Existing pages keep their packing until rewritten.
ALTER TABLE "User" SET (fillfactor = 80);
ALTER TABLE "Authenticator" SET (fillfactor = 80);
