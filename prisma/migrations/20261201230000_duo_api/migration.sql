-- Duo Admin API integrations: an application kind with its own ikey/skey and read-only access to the auth log and
-- the user list (/admin/v2/logs/authentication, /admin/v1/users), for Duo's log collectors and SIEM integrations.
ALTER TYPE "ApplicationKind" ADD VALUE IF NOT EXISTS 'admin_api';
