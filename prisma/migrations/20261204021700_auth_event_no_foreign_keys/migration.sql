-- The auth log is append-only evidence: an event keeps the user and application ids it was decided for, whether or not
-- those rows still exist. The two foreign keys cost a KEY SHARE lookup and row lock on "User"/"Application" for every
-- inserted event (the largest part of a login's database CPU after the claim), and ON DELETE SET NULL rewrote every
-- event of a deleted user (erasing which account they were). Prisma keeps the relations for its joins; a dangling id
-- simply joins to nothing.
ALTER TABLE "AuthEvent" DROP CONSTRAINT "AuthEvent_userId_fkey";
ALTER TABLE "AuthEvent" DROP CONSTRAINT "AuthEvent_applicationId_fkey";
