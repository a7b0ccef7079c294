-- Helpdesk search by the start of a name (lib/users/build-name-search.ts): LIKE 'prefix%' can use a btree only with
-- the pattern operator class whatever the database's collation. Expressions on lower() for what is searched
-- case-insensitively (normalized usernames are already case folded).
CREATE INDEX "AuthEvent_username_prefix_idx" ON "AuthEvent" ("username" text_pattern_ops);
CREATE INDEX "AuthEvent_usernameRaw_lower_prefix_idx" ON "AuthEvent" (lower("usernameRaw") text_pattern_ops);
CREATE INDEX "User_username_prefix_idx" ON "User" ("username" text_pattern_ops);
CREATE INDEX "User_email_lower_prefix_idx" ON "User" (lower("email") text_pattern_ops);
CREATE INDEX "User_displayName_lower_prefix_idx" ON "User" (lower("displayName") text_pattern_ops);
CREATE INDEX "Group_name_lower_prefix_idx" ON "Group" (lower("name") text_pattern_ops);
