-- LDAP/AD: the attribute that names an account canonically (sAMAccountName, uid, userPrincipalName). Twofold resolves
-- its user from this value after the bind, never from the typed spelling. NULL = sAMAccountName, then uid.
ALTER TABLE "PrimaryAuthServer" ADD COLUMN "usernameAttribute" TEXT;
