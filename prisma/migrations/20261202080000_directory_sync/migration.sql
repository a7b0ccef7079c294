-- Directory sync (lib/directory-sync): per LDAP/AD primary-auth server, which users and groups to import and when.
-- Its own table on purpose: a sync writes its state here after every run, and a write to "PrimaryAuthServer" would make
-- every worker reload its configuration (that table has the twofold_config trigger, these do not).
CREATE TABLE "DirectorySync" (
    "serverId" UUID NOT NULL,
    "userBaseDn" TEXT,
    "userFilter" TEXT NOT NULL DEFAULT '(|(objectClass=inetOrgPerson)(objectClass=user))',
    "groupBaseDn" TEXT,
    "groupFilter" TEXT NOT NULL DEFAULT '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=group))',
    "groupDns" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "displayNameAttribute" TEXT NOT NULL DEFAULT 'displayName',
    "emailAttribute" TEXT NOT NULL DEFAULT 'mail',
    "intervalMinutes" INTEGER,
    "lastRunAt" TIMESTAMP(3),
    "lastStatus" TEXT,
    "lastSummary" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectorySync_pkey" PRIMARY KEY ("serverId"),
    CONSTRAINT "DirectorySync_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "PrimaryAuthServer"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A user imported from a server, by the entry's stable id (entryUUID / objectGUID), so a renamed entry renames the
-- user instead of creating a second one. "removedAt": the entry left the directory and the sync disabled the user
-- (only such a user is enabled again when the entry comes back; an admin's own disable stays).
CREATE TABLE "DirectoryUserLink" (
    "serverId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "dn" TEXT NOT NULL,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "DirectoryUserLink_pkey" PRIMARY KEY ("serverId", "externalId"),
    CONSTRAINT "DirectoryUserLink_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "PrimaryAuthServer"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DirectoryUserLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "DirectoryUserLink_serverId_userId_key" ON "DirectoryUserLink"("serverId", "userId");
CREATE INDEX "DirectoryUserLink_userId_idx" ON "DirectoryUserLink"("userId");

CREATE TABLE "DirectoryGroupLink" (
    "serverId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "groupId" UUID NOT NULL,
    "dn" TEXT NOT NULL,

    CONSTRAINT "DirectoryGroupLink_pkey" PRIMARY KEY ("serverId", "externalId"),
    CONSTRAINT "DirectoryGroupLink_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "PrimaryAuthServer"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DirectoryGroupLink_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "DirectoryGroupLink_serverId_groupId_key" ON "DirectoryGroupLink"("serverId", "groupId");
CREATE INDEX "DirectoryGroupLink_groupId_idx" ON "DirectoryGroupLink"("groupId");
