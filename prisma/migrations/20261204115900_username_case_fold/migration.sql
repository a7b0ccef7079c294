-- Usernames are now keyed by full Unicode case folding instead of lower-casing (lib/policy/normalize-username.ts,
-- lib/policy/case-fold.ts). For ASCII and for almost every other name both give the same spelling; a stored name
-- changes only if it holds one of the 134 characters below, the only ones a lower-cased, NFKC name can hold that fold
-- further (derived from Node 24's Unicode 17 data: a stored c maps to normalizeUsername(c)): ß → ss, final ς → σ,
-- U+0345 → ι, the Greek letters with iota subscript → letter + ι, the old Cyrillic forms U+1C80–1C88, and lowercase
-- Cherokee → its capitals (Cherokee folds to uppercase). Left as they were, such users would no longer be found by the
-- name a login now normalizes to, and would meet the new-user policy instead of their own factors.
-- A renamed user gets an audit event. A user whose new spelling another user already holds is left unchanged (both
-- names now mean one account, which one is the admin's decision) and gets a "user.username_fold_conflict" audit event.
-- The auth log keeps the names as they were logged: it is evidence.
DO $$
DECLARE
  account RECORD;
  pair RECORD;
  folded TEXT;
  holder UUID;
BEGIN
  FOR account IN SELECT id, username FROM "User" WHERE username !~ '^[[:ascii:]]*$' ORDER BY "createdAt", id LOOP
    folded := account.username;
    FOR pair IN SELECT f, t FROM (VALUES
      (U&'\00DF', U&'\0073\0073'), (U&'\0345', U&'\03B9'), (U&'\03C2', U&'\03C3'), (U&'\13F8', U&'\13F0'), (U&'\13F9', U&'\13F1'), (U&'\13FA', U&'\13F2'),
      (U&'\13FB', U&'\13F3'), (U&'\13FC', U&'\13F4'), (U&'\13FD', U&'\13F5'), (U&'\1C80', U&'\0432'), (U&'\1C81', U&'\0434'), (U&'\1C82', U&'\043E'),
      (U&'\1C83', U&'\0441'), (U&'\1C84', U&'\0442'), (U&'\1C85', U&'\0442'), (U&'\1C86', U&'\044A'), (U&'\1C87', U&'\0463'), (U&'\1C88', U&'\A64B'),
      (U&'\1F80', U&'\1F00\03B9'), (U&'\1F81', U&'\1F01\03B9'), (U&'\1F82', U&'\1F02\03B9'), (U&'\1F83', U&'\1F03\03B9'), (U&'\1F84', U&'\1F04\03B9'), (U&'\1F85', U&'\1F05\03B9'),
      (U&'\1F86', U&'\1F06\03B9'), (U&'\1F87', U&'\1F07\03B9'), (U&'\1F90', U&'\1F20\03B9'), (U&'\1F91', U&'\1F21\03B9'), (U&'\1F92', U&'\1F22\03B9'), (U&'\1F93', U&'\1F23\03B9'),
      (U&'\1F94', U&'\1F24\03B9'), (U&'\1F95', U&'\1F25\03B9'), (U&'\1F96', U&'\1F26\03B9'), (U&'\1F97', U&'\1F27\03B9'), (U&'\1FA0', U&'\1F60\03B9'), (U&'\1FA1', U&'\1F61\03B9'),
      (U&'\1FA2', U&'\1F62\03B9'), (U&'\1FA3', U&'\1F63\03B9'), (U&'\1FA4', U&'\1F64\03B9'), (U&'\1FA5', U&'\1F65\03B9'), (U&'\1FA6', U&'\1F66\03B9'), (U&'\1FA7', U&'\1F67\03B9'),
      (U&'\1FB2', U&'\1F70\03B9'), (U&'\1FB3', U&'\03B1\03B9'), (U&'\1FB4', U&'\03AC\03B9'), (U&'\1FB7', U&'\1FB6\03B9'), (U&'\1FC2', U&'\1F74\03B9'), (U&'\1FC3', U&'\03B7\03B9'),
      (U&'\1FC4', U&'\03AE\03B9'), (U&'\1FC7', U&'\1FC6\03B9'), (U&'\1FF2', U&'\1F7C\03B9'), (U&'\1FF3', U&'\03C9\03B9'), (U&'\1FF4', U&'\03CE\03B9'), (U&'\1FF7', U&'\1FF6\03B9'),
      (U&'\AB70', U&'\13A0'), (U&'\AB71', U&'\13A1'), (U&'\AB72', U&'\13A2'), (U&'\AB73', U&'\13A3'), (U&'\AB74', U&'\13A4'), (U&'\AB75', U&'\13A5'),
      (U&'\AB76', U&'\13A6'), (U&'\AB77', U&'\13A7'), (U&'\AB78', U&'\13A8'), (U&'\AB79', U&'\13A9'), (U&'\AB7A', U&'\13AA'), (U&'\AB7B', U&'\13AB'),
      (U&'\AB7C', U&'\13AC'), (U&'\AB7D', U&'\13AD'), (U&'\AB7E', U&'\13AE'), (U&'\AB7F', U&'\13AF'), (U&'\AB80', U&'\13B0'), (U&'\AB81', U&'\13B1'),
      (U&'\AB82', U&'\13B2'), (U&'\AB83', U&'\13B3'), (U&'\AB84', U&'\13B4'), (U&'\AB85', U&'\13B5'), (U&'\AB86', U&'\13B6'), (U&'\AB87', U&'\13B7'),
      (U&'\AB88', U&'\13B8'), (U&'\AB89', U&'\13B9'), (U&'\AB8A', U&'\13BA'), (U&'\AB8B', U&'\13BB'), (U&'\AB8C', U&'\13BC'), (U&'\AB8D', U&'\13BD'),
      (U&'\AB8E', U&'\13BE'), (U&'\AB8F', U&'\13BF'), (U&'\AB90', U&'\13C0'), (U&'\AB91', U&'\13C1'), (U&'\AB92', U&'\13C2'), (U&'\AB93', U&'\13C3'),
      (U&'\AB94', U&'\13C4'), (U&'\AB95', U&'\13C5'), (U&'\AB96', U&'\13C6'), (U&'\AB97', U&'\13C7'), (U&'\AB98', U&'\13C8'), (U&'\AB99', U&'\13C9'),
      (U&'\AB9A', U&'\13CA'), (U&'\AB9B', U&'\13CB'), (U&'\AB9C', U&'\13CC'), (U&'\AB9D', U&'\13CD'), (U&'\AB9E', U&'\13CE'), (U&'\AB9F', U&'\13CF'),
      (U&'\ABA0', U&'\13D0'), (U&'\ABA1', U&'\13D1'), (U&'\ABA2', U&'\13D2'), (U&'\ABA3', U&'\13D3'), (U&'\ABA4', U&'\13D4'), (U&'\ABA5', U&'\13D5'),
      (U&'\ABA6', U&'\13D6'), (U&'\ABA7', U&'\13D7'), (U&'\ABA8', U&'\13D8'), (U&'\ABA9', U&'\13D9'), (U&'\ABAA', U&'\13DA'), (U&'\ABAB', U&'\13DB'),
      (U&'\ABAC', U&'\13DC'), (U&'\ABAD', U&'\13DD'), (U&'\ABAE', U&'\13DE'), (U&'\ABAF', U&'\13DF'), (U&'\ABB0', U&'\13E0'), (U&'\ABB1', U&'\13E1'),
      (U&'\ABB2', U&'\13E2'), (U&'\ABB3', U&'\13E3'), (U&'\ABB4', U&'\13E4'), (U&'\ABB5', U&'\13E5'), (U&'\ABB6', U&'\13E6'), (U&'\ABB7', U&'\13E7'),
      (U&'\ABB8', U&'\13E8'), (U&'\ABB9', U&'\13E9'), (U&'\ABBA', U&'\13EA'), (U&'\ABBB', U&'\13EB'), (U&'\ABBC', U&'\13EC'), (U&'\ABBD', U&'\13ED'),
      (U&'\ABBE', U&'\13EE'), (U&'\ABBF', U&'\13EF')
    ) AS mapping(f, t) LOOP
      folded := replace(folded, pair.f, pair.t);
    END LOOP;
    -- What normalizeUsername ends with; a no-op for these replacements, kept so the result is its output exactly.
    IF current_setting('server_encoding') = 'UTF8' THEN
      folded := normalize(folded, NFKC);
    END IF;
    CONTINUE WHEN folded = account.username;
    SELECT id INTO holder FROM "User" WHERE username = folded;
    IF holder IS NULL THEN
      UPDATE "User" SET username = folded WHERE id = account.id;
      INSERT INTO "AdminAuditEvent" ("actorEmail", action, "targetType", "targetId", before, after)
      VALUES ('migration:username-case-fold', 'user.username_folded', 'User', account.id::text,
              jsonb_build_object('username', account.username), jsonb_build_object('username', folded));
    ELSE
      RAISE WARNING 'user % (%) folds to %, which user % already holds: left unchanged', account.id, account.username, folded, holder;
      INSERT INTO "AdminAuditEvent" ("actorEmail", action, "targetType", "targetId", before, after)
      VALUES ('migration:username-case-fold', 'user.username_fold_conflict', 'User', account.id::text,
              jsonb_build_object('username', account.username), jsonb_build_object('username', folded, 'heldBy', holder::text));
    END IF;
  END LOOP;
END $$;
