-- Berth metadata, version 4: the audit log (who did what to which resource, when, with what result).
-- Written in batches by an asynchronous writer; read newest first with optional filters, hence an
-- index on the time and one per filter column followed by it; the resource filter is a prefix
-- (LIKE 'x%'), which PostgreSQL serves from an index only under the C collation.
-- V3 belongs to another change made in parallel; Flyway applies V1, V2, V4 to a fresh database.

CREATE SEQUENCE audit_entry_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE audit_entry (
    id            BIGINT PRIMARY KEY,
    occurred_at   TIMESTAMP NOT NULL,
    username      VARCHAR(255) NOT NULL,
    kind          VARCHAR(16) NOT NULL,
    source_ip     VARCHAR(64),
    operation     VARCHAR(32) NOT NULL,
    resource_type VARCHAR(32) NOT NULL,
    resource      VARCHAR(512) ${collate_c},
    project       VARCHAR(255),
    success       BOOLEAN NOT NULL,
    detail        VARCHAR(1000)
);
CREATE INDEX audit_entry_at ON audit_entry (occurred_at, id);
CREATE INDEX audit_entry_project ON audit_entry (project, occurred_at);
CREATE INDEX audit_entry_username ON audit_entry (username, occurred_at);
CREATE INDEX audit_entry_operation ON audit_entry (operation, occurred_at);
CREATE INDEX audit_entry_resource ON audit_entry (resource);
