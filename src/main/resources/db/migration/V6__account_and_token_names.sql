-- Berth metadata, version 6: user names unique without regard to case, and the name of a revoked
-- personal token free for a new one (the revoked row stays, for the audit trail).
-- Plain columns and UNIQUE constraints, which H2 2.x and PostgreSQL treat alike (an index on
-- LOWER(username), or one with a WHERE clause, is PostgreSQL's only).

-- username_key is LOWER(username), written by Berth with every new account (user names are
-- ASCII, so LOWER agrees with Java's toLowerCase(Locale.ROOT)). Accounts that already differ only
-- in case keep working: all but the oldest get '#' and their id appended, which no user name can
-- produce ('#' is not allowed in one), so they stay apart and no new account can join them.
ALTER TABLE account ADD COLUMN username_key VARCHAR(300) ${collate_c};
UPDATE account SET username_key = LOWER(username);
UPDATE account SET username_key = username_key || '#' || CAST(id AS VARCHAR(20))
    WHERE EXISTS (SELECT 1 FROM account older
                  WHERE LOWER(older.username) = LOWER(account.username) AND older.id < account.id);
ALTER TABLE account ALTER COLUMN username_key SET NOT NULL;
-- (not "account_username_key": PostgreSQL gave that name to V2's UNIQUE (username))
ALTER TABLE account ADD CONSTRAINT account_username_case UNIQUE (username_key);

-- live_name is the name while the token is live and NULL once it is revoked: names are unique
-- among an account's live tokens only (a UNIQUE constraint lets any number of rows hold NULL).
ALTER TABLE personal_token ADD COLUMN live_name VARCHAR(255);
UPDATE personal_token SET live_name = name WHERE revoked = FALSE;
ALTER TABLE personal_token DROP CONSTRAINT personal_token_account_name;
ALTER TABLE personal_token ADD CONSTRAINT personal_token_live_name UNIQUE (account_id, live_name);
