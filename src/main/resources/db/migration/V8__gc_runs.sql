-- Berth metadata, version 8: garbage collection runs (issue 16).
--  * gc_run: every run (the last 50 are kept): who started it and how, its options, state,
--    phase and progress, and its report (JSON: counts and bytes by kind, the repositories with
--    the most bytes, the first errors, the time of each phase). A running run writes its
--    heartbeat_at at least every second; one whose heartbeat stopped (its server died) is marked
--    interrupted when the next run begins.
--  * gc_lock: one row, locked by whoever begins a run, so that two starts (from two requests or
--    two Berth instances on one database) cannot both find no run running.
--  * gc_doomed: the manifests a dry run with delete_untagged would delete, so that its counts of
--    links and blobs are those a real run would find once the manifests were gone.

CREATE SEQUENCE gc_run_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE gc_run (
    id               BIGINT PRIMARY KEY,
    state            VARCHAR(16) NOT NULL,
    run_trigger      VARCHAR(16) NOT NULL,
    dry_run          BOOLEAN NOT NULL,
    delete_untagged  BOOLEAN NOT NULL,
    started_by       VARCHAR(255) NOT NULL,
    started_by_kind  VARCHAR(16) NOT NULL,
    started_at       TIMESTAMP NOT NULL,
    ended_at         TIMESTAMP,
    heartbeat_at     TIMESTAMP NOT NULL,
    cancel_requested BOOLEAN NOT NULL,
    phase            VARCHAR(16) NOT NULL,
    phase_scanned    BIGINT NOT NULL,
    phase_total      BIGINT NOT NULL,
    scanned          BIGINT NOT NULL,
    deleted          BIGINT NOT NULL,
    freed_bytes      BIGINT NOT NULL,
    report           VARCHAR(200000) NOT NULL
);
CREATE INDEX gc_run_state ON gc_run (state);

CREATE TABLE gc_lock (
    id INT PRIMARY KEY
);
INSERT INTO gc_lock (id) VALUES (1);

CREATE TABLE gc_doomed (
    run_id      BIGINT NOT NULL,
    manifest_id BIGINT NOT NULL,
    PRIMARY KEY (run_id, manifest_id)
);
