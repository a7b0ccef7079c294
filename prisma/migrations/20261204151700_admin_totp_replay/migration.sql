-- Admin console TOTP replay guard (lib/auth/claim-admin-totp-step.ts): the last accepted time step per admin, claimed
-- with one conditional UPDATE in the transaction that grants the session or confirms enrollment, so a code captured
-- in its 90 s window cannot be used again on any console process. 30 s steps fit an INTEGER until the year 4000, and
-- a plain number keeps admin rows JSON-safe (audit before/after, pages).
ALTER TABLE "Admin" ADD COLUMN "totpLastStep" INTEGER;
