-- Berth metadata, version 5: an account's credential version. Raised with every password change
-- and every change of the disabled flag; refresh tokens, API tokens and remembered Basic logins
-- carry the version they were made at and stop working once it moved on (issue 14).

ALTER TABLE account ADD COLUMN credential_version BIGINT DEFAULT 0 NOT NULL;
