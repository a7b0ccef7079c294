-- Local password: the admin may leave the password to the user, who then chooses it on the enrollment page (the
-- one-time link is the credential). Cleared in the same statement that stores the chosen hash.
ALTER TABLE "User" ADD COLUMN "passwordChoiceRequired" BOOLEAN NOT NULL DEFAULT false;

-- An invited admin signs in with a temporary password and must replace it before anything else.
ALTER TABLE "Admin" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;

-- Console sign-in throttle: one row per key (account from an unknown browser, source address, known browser), each
-- attempt claimed by an atomic upsert before the password is checked, so concurrent guesses cannot overshoot.
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "SignInThrottle_windowStart_idx" ON "SignInThrottle"("windowStart");
