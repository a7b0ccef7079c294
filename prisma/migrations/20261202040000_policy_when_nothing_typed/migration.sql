-- Policy "when nothing is typed" (issue 12): a login with no appended code either gets the challenge menu (NULL on
-- the global row: today's behaviour) or a push to the user's first device. NULL on an override inherits.
CREATE TYPE "WhenNothingTyped" AS ENUM ('challenge_menu', 'push_first');
ALTER TABLE "Policy" ADD COLUMN "whenNothingTyped" "WhenNothingTyped";
