-- CreateEnum
CREATE TYPE "AdminRole" AS ENUM ('owner', 'admin', 'helpdesk', 'readonly');
CREATE TYPE "UserStatus" AS ENUM ('active', 'bypass', 'disabled', 'locked_out');
CREATE TYPE "ApplicationKind" AS ENUM ('radius', 'auth_api');
CREATE TYPE "PrimaryAuthMode" AS ENUM ('radius', 'ldap', 'local', 'none');
CREATE TYPE "NewUserPolicy" AS ENUM ('require_enrollment', 'allow_without_2fa', 'deny');
CREATE TYPE "UsernameNormalization" AS ENUM ('none', 'strip_domain');
CREATE TYPE "FailMode" AS ENUM ('safe', 'secure');
CREATE TYPE "FactorEntry" AS ENUM ('append', 'challenge', 'both');
CREATE TYPE "PrimaryAuthServerKind" AS ENUM ('radius', 'ldap');
CREATE TYPE "AuthenticatorKind" AS ENUM ('totp', 'hotp', 'push_device', 'bypass_codes');
CREATE TYPE "AuthResult" AS ENUM ('success', 'failure', 'error', 'fraud');

-- CreateTable
CREATE TABLE "Admin" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "totpSecret" TEXT,
    "totpEnabled" BOOLEAN NOT NULL DEFAULT false,
    "role" "AdminRole" NOT NULL DEFAULT 'admin',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastLoginAt" TIMESTAMP(3),
    CONSTRAINT "Admin_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AdminSession" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "adminId" UUID NOT NULL,
    "mfaVerified" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "AdminSession_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SetupToken" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    CONSTRAINT "SetupToken_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AdminAuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "adminId" UUID,
    "actorEmail" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AdminAuditEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "status" "UserStatus" NOT NULL DEFAULT 'active',
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lockedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    "passwordHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Group" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Group_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "GroupMember" (
    "userId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    CONSTRAINT "GroupMember_pkey" PRIMARY KEY ("userId","groupId")
);

CREATE TABLE "Application" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ApplicationKind" NOT NULL DEFAULT 'radius',
    "ikey" VARCHAR(20) NOT NULL,
    "skey" TEXT NOT NULL,
    "primaryAuthMode" "PrimaryAuthMode" NOT NULL DEFAULT 'radius',
    "factorEntry" "FactorEntry" NOT NULL DEFAULT 'both',
    "appendDelimiter" TEXT NOT NULL DEFAULT ',',
    "passThroughAll" BOOLEAN NOT NULL DEFAULT true,
    "passThroughAttrs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ApplicationGroup" (
    "applicationId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    CONSTRAINT "ApplicationGroup_pkey" PRIMARY KEY ("applicationId","groupId")
);

CREATE TABLE "ApplicationGroupMapping" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "groupId" UUID,
    "directoryGroup" TEXT,
    "classValue" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    CONSTRAINT "ApplicationGroupMapping_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Policy" (
    "id" UUID NOT NULL,
    "applicationId" UUID,
    "newUserPolicy" "NewUserPolicy",
    "usernameNormalization" "UsernameNormalization",
    "allowedFactors" "AuthenticatorKind"[] DEFAULT ARRAY[]::"AuthenticatorKind"[],
    "allowedFactorsInherit" BOOLEAN NOT NULL DEFAULT true,
    "lockoutThreshold" INTEGER,
    "autoUnlockMinutes" INTEGER,
    "failMode" "FailMode",
    "challengeTimeoutSec" INTEGER,
    "maxChallengeAttempts" INTEGER,
    "pushTimeoutSec" INTEGER,
    "pushRateLimitPerHour" INTEGER,
    "verifiedPush" BOOLEAN,
    "authorizedNetworks" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "authorizedNetworksInherit" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Policy_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RadiusClient" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "requireMessageAuthenticator" BOOLEAN NOT NULL DEFAULT true,
    "applicationId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "RadiusClient_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "PrimaryAuthServer" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PrimaryAuthServerKind" NOT NULL,
    "applicationId" UUID,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "accountingPort" INTEGER,
    "secret" TEXT,
    "bindDn" TEXT,
    "baseDn" TEXT,
    "userFilter" TEXT,
    "groupAttribute" TEXT,
    "tlsMode" TEXT NOT NULL DEFAULT 'none',
    "timeoutMs" INTEGER NOT NULL DEFAULT 5000,
    "retries" INTEGER NOT NULL DEFAULT 1,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PrimaryAuthServer_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Authenticator" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" "AuthenticatorKind" NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "secret" TEXT,
    "serial" TEXT,
    "digits" INTEGER NOT NULL DEFAULT 6,
    "periodSec" INTEGER NOT NULL DEFAULT 30,
    "driftSteps" INTEGER NOT NULL DEFAULT 1,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "lastUsedStep" BIGINT,
    "publicKey" TEXT,
    "pushSubscription" JSONB,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    CONSTRAINT "Authenticator_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "BypassCode" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "remainingUses" INTEGER NOT NULL DEFAULT 1,
    "expiresAt" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BypassCode_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "EnrollmentLink" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    CONSTRAINT "EnrollmentLink_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ChallengeState" (
    "id" TEXT NOT NULL,
    "clientId" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ChallengeState_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "PushRequest" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "applicationId" UUID,
    "nasIp" TEXT,
    "callingStation" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "verifyNumber" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "deviceId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    CONSTRAINT "PushRequest_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AuthEvent" (
    "id" BIGSERIAL NOT NULL,
    "eventId" UUID NOT NULL,
    "time" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usernameRaw" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "userId" UUID,
    "applicationId" UUID,
    "radiusClientId" UUID,
    "clientName" TEXT,
    "nasIp" TEXT,
    "callingStationId" TEXT,
    "factor" TEXT,
    "result" "AuthResult" NOT NULL,
    "reason" TEXT NOT NULL,
    "primaryMs" INTEGER,
    "secondFactorMs" INTEGER,
    "attributes" JSONB,
    "workerId" TEXT NOT NULL,
    CONSTRAINT "AuthEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AccountingEvent" (
    "id" BIGSERIAL NOT NULL,
    "time" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "username" TEXT NOT NULL,
    "statusType" TEXT NOT NULL,
    "sessionId" TEXT,
    "nasIp" TEXT,
    "attributes" JSONB,
    "workerId" TEXT NOT NULL,
    CONSTRAINT "AccountingEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ConfigVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConfigVersion_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "WorkerStatus" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "address" TEXT,
    "configVersion" BIGINT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "stats" JSONB,
    CONSTRAINT "WorkerStatus_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Admin_email_key" ON "Admin"("email");
CREATE UNIQUE INDEX "AdminSession_tokenHash_key" ON "AdminSession"("tokenHash");
CREATE INDEX "AdminSession_adminId_idx" ON "AdminSession"("adminId");
CREATE UNIQUE INDEX "SetupToken_tokenHash_key" ON "SetupToken"("tokenHash");
CREATE INDEX "AdminAuditEvent_createdAt_idx" ON "AdminAuditEvent"("createdAt" DESC);
CREATE INDEX "AdminAuditEvent_targetType_targetId_idx" ON "AdminAuditEvent"("targetType", "targetId");
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
CREATE INDEX "User_email_idx" ON "User"("email");
CREATE UNIQUE INDEX "Group_name_key" ON "Group"("name");
CREATE INDEX "GroupMember_groupId_idx" ON "GroupMember"("groupId");
CREATE UNIQUE INDEX "Application_name_key" ON "Application"("name");
CREATE UNIQUE INDEX "Application_ikey_key" ON "Application"("ikey");
CREATE INDEX "ApplicationGroupMapping_applicationId_position_idx" ON "ApplicationGroupMapping"("applicationId", "position");
CREATE UNIQUE INDEX "Policy_applicationId_key" ON "Policy"("applicationId");
CREATE UNIQUE INDEX "RadiusClient_name_key" ON "RadiusClient"("name");
CREATE INDEX "PrimaryAuthServer_applicationId_position_idx" ON "PrimaryAuthServer"("applicationId", "position");
CREATE INDEX "Authenticator_userId_idx" ON "Authenticator"("userId");
CREATE UNIQUE INDEX "Authenticator_kind_serial_key" ON "Authenticator"("kind", "serial");
CREATE INDEX "BypassCode_userId_idx" ON "BypassCode"("userId");
CREATE UNIQUE INDEX "EnrollmentLink_tokenHash_key" ON "EnrollmentLink"("tokenHash");
CREATE INDEX "ChallengeState_expiresAt_idx" ON "ChallengeState"("expiresAt");
CREATE INDEX "PushRequest_dedupeKey_status_idx" ON "PushRequest"("dedupeKey", "status");
CREATE INDEX "PushRequest_userId_createdAt_idx" ON "PushRequest"("userId", "createdAt");
CREATE UNIQUE INDEX "AuthEvent_eventId_key" ON "AuthEvent"("eventId");
CREATE INDEX "AuthEvent_username_time_id_idx" ON "AuthEvent"("username", "time" DESC, "id" DESC);
CREATE INDEX "AuthEvent_userId_time_id_idx" ON "AuthEvent"("userId", "time" DESC, "id" DESC);
CREATE INDEX "AuthEvent_time_id_idx" ON "AuthEvent"("time" DESC, "id" DESC);
CREATE INDEX "AccountingEvent_time_idx" ON "AccountingEvent"("time" DESC);

-- AddForeignKey
ALTER TABLE "AdminSession" ADD CONSTRAINT "AdminSession_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "Admin"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AdminAuditEvent" ADD CONSTRAINT "AdminAuditEvent_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "Admin"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "GroupMember" ADD CONSTRAINT "GroupMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "GroupMember" ADD CONSTRAINT "GroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationGroup" ADD CONSTRAINT "ApplicationGroup_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationGroup" ADD CONSTRAINT "ApplicationGroup_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationGroupMapping" ADD CONSTRAINT "ApplicationGroupMapping_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationGroupMapping" ADD CONSTRAINT "ApplicationGroupMapping_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RadiusClient" ADD CONSTRAINT "RadiusClient_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "PrimaryAuthServer" ADD CONSTRAINT "PrimaryAuthServer_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Authenticator" ADD CONSTRAINT "Authenticator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BypassCode" ADD CONSTRAINT "BypassCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "EnrollmentLink" ADD CONSTRAINT "EnrollmentLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PushRequest" ADD CONSTRAINT "PushRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AuthEvent" ADD CONSTRAINT "AuthEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "AuthEvent" ADD CONSTRAINT "AuthEvent_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Seed rows the product cannot run without: the global policy and the config version counter.
INSERT INTO "ConfigVersion" ("id", "version") VALUES (1, 1);
INSERT INTO "Policy" ("id", "applicationId", "newUserPolicy", "usernameNormalization", "allowedFactors", "allowedFactorsInherit",
  "lockoutThreshold", "autoUnlockMinutes", "failMode", "challengeTimeoutSec", "maxChallengeAttempts", "pushTimeoutSec",
  "pushRateLimitPerHour", "verifiedPush", "authorizedNetworks", "authorizedNetworksInherit", "updatedAt")
VALUES ('00000000-0000-4000-8000-000000000001', NULL, 'require_enrollment', 'strip_domain',
  ARRAY['totp','hotp','push_device','bypass_codes']::"AuthenticatorKind"[], false,
  10, NULL, 'secure', 300, 3, 50, 10, false, ARRAY[]::TEXT[], false, CURRENT_TIMESTAMP);

-- Every configuration write bumps the version and tells workers (LISTEN twofold_config) to reload.
CREATE FUNCTION twofold_config_changed() RETURNS trigger AS $$
DECLARE v BIGINT;
BEGIN
  UPDATE "ConfigVersion" SET "version" = "version" + 1, "updatedAt" = CURRENT_TIMESTAMP WHERE "id" = 1 RETURNING "version" INTO v;
  PERFORM pg_notify('twofold_config', v::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "RadiusClient_config" AFTER INSERT OR UPDATE OR DELETE ON "RadiusClient" FOR EACH STATEMENT EXECUTE FUNCTION twofold_config_changed();
CREATE TRIGGER "Application_config" AFTER INSERT OR UPDATE OR DELETE ON "Application" FOR EACH STATEMENT EXECUTE FUNCTION twofold_config_changed();
CREATE TRIGGER "Policy_config" AFTER INSERT OR UPDATE OR DELETE ON "Policy" FOR EACH STATEMENT EXECUTE FUNCTION twofold_config_changed();
CREATE TRIGGER "PrimaryAuthServer_config" AFTER INSERT OR UPDATE OR DELETE ON "PrimaryAuthServer" FOR EACH STATEMENT EXECUTE FUNCTION twofold_config_changed();
CREATE TRIGGER "ApplicationGroup_config" AFTER INSERT OR UPDATE OR DELETE ON "ApplicationGroup" FOR EACH STATEMENT EXECUTE FUNCTION twofold_config_changed();
CREATE TRIGGER "ApplicationGroupMapping_config" AFTER INSERT OR UPDATE OR DELETE ON "ApplicationGroupMapping" FOR EACH STATEMENT EXECUTE FUNCTION twofold_config_changed();
CREATE TRIGGER "Group_config" AFTER INSERT OR UPDATE OR DELETE ON "Group" FOR EACH STATEMENT EXECUTE FUNCTION twofold_config_changed();
