-- Whether an enrollment link may add a factor for a user who already has an active one. Only a link an admin or
-- helpdesk issued may (to add a device); one a login issued (RADIUS, the Duo API's auth) or /auth/v2/enroll issued is
-- for a first factor, and is refused once the user has one (lib/enrollment/spend-enrollment-link.ts): a password alone
-- must never add a factor to an enrolled account. Existing links keep what their creator meant.
ALTER TABLE "EnrollmentLink" ADD COLUMN "mayAddFactor" BOOLEAN NOT NULL DEFAULT false;
UPDATE "EnrollmentLink" SET "mayAddFactor" = true WHERE "createdBy" <> 'radius' AND "createdBy" NOT LIKE 'auth\_api:%';
