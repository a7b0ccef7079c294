-- Wrong passwords on an enrollment link, counted in the row (lib/enrollment/claim-password-attempt.ts) rather than in
-- each console process's memory, so N console processes do not allow N times the guesses.
ALTER TABLE "EnrollmentLink" ADD COLUMN "passwordFailures" INTEGER NOT NULL DEFAULT 0;
