-- Berth metadata, version 11: what several Berth nodes on one database share (issue 19).
--  * login_failure: the login throttle's record, one row per account and kind of credential
--    (failure_key is "PASSWORD:alice", or the kind and the SHA-256 of a name too long to keep):
--    the failures counted since window_start and until when the account is locked. A node
--    counting a failure locks the row (SELECT ... FOR UPDATE), so failures sent to several nodes
--    at once are all counted, and a lock set by one node holds on every node.
--  * start_lock: one row, locked by a node while it creates what exists from the first start
--    (admin, its password, library, the token-signing key), so that nodes started together on an
--    empty database create each once: the others wait, then find it.

CREATE TABLE login_failure (
    failure_key   VARCHAR(100) PRIMARY KEY,
    failures      INT NOT NULL,
    window_start  TIMESTAMP NOT NULL,
    last_failure  TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP
);

CREATE INDEX login_failure_last ON login_failure (last_failure);

CREATE TABLE start_lock (
    id INT PRIMARY KEY
);

INSERT INTO start_lock (id) VALUES (1);
