-- Berth metadata, version 10: tag retention (issue 17).
--  * retention_policy: one row per project that saved a policy: its rules (JSON, at most 15:
--    repository and tag selectors, untagged, keep mode and amount), its schedule (cron syntax, or
--    NULL: on demand only), whether it is enabled, and whether a run starts garbage collection.
--    Beginning a run locks this row, so that a project runs one retention run at a time across
--    every Berth on the database.
--  * retention_run: the history of runs per project (the newest 50 are kept, older ones are
--    deleted when a run begins): who started it and how, its state and heartbeat, its counts and
--    freed bytes, and its report (JSON: the first 1,000 artifacts it deleted with their tags,
--    the first errors).

CREATE TABLE retention_policy (
    project_id  BIGINT PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    rules       VARCHAR(65536) NOT NULL,
    schedule    VARCHAR(128),
    enabled     BOOLEAN NOT NULL,
    run_gc      BOOLEAN NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    updated_by  VARCHAR(255) NOT NULL
);

CREATE SEQUENCE retention_run_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE retention_run (
    id                BIGINT PRIMARY KEY,
    project_id        BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    state             VARCHAR(16) NOT NULL,
    run_trigger       VARCHAR(16) NOT NULL,
    started_by        VARCHAR(255) NOT NULL,
    started_by_kind   VARCHAR(16) NOT NULL,
    started_at        TIMESTAMP NOT NULL,
    ended_at          TIMESTAMP,
    heartbeat_at      TIMESTAMP NOT NULL,
    artifacts_deleted BIGINT NOT NULL,
    tags_deleted      BIGINT NOT NULL,
    skipped           BIGINT NOT NULL,
    freed_bytes       BIGINT NOT NULL,
    error_count       BIGINT NOT NULL,
    gc_run_id         BIGINT,
    rules_fingerprint VARCHAR(64) NOT NULL,
    report            VARCHAR(2000000) NOT NULL
);
CREATE INDEX retention_run_project ON retention_run (project_id, id);
CREATE INDEX retention_run_state ON retention_run (state);
