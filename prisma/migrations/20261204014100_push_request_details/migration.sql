-- What the calling program said about a login (the Duo API's pushinfo: command, server…), shown with its push.
ALTER TABLE "PushRequest" ADD COLUMN "details" JSONB;
