-- Berth metadata, version 1: repositories, blob links, manifests, their references, tags.
-- Portable between H2 2.x and PostgreSQL; ${collate_c} gives byte-wise ordering of names
-- on PostgreSQL (OCI dist-spec: tags and catalog are listed in lexical order).

-- Ids come from sequences (EclipseLink's identity support does not know H2 2.x); the
-- increment matches allocationSize in the entities.
CREATE SEQUENCE repository_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE manifest_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE repository (
    id          BIGINT PRIMARY KEY,
    name        VARCHAR(255) ${collate_c} NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE blob_link (
    repository_id BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    digest        VARCHAR(150) NOT NULL,
    size_bytes    BIGINT NOT NULL,
    linked_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (repository_id, digest)
);
CREATE INDEX blob_link_digest ON blob_link (digest);

CREATE TABLE manifest (
    id             BIGINT PRIMARY KEY,
    repository_id  BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    digest         VARCHAR(150) NOT NULL,
    media_type     VARCHAR(255) NOT NULL,
    artifact_type  VARCHAR(255),
    size_bytes     BIGINT NOT NULL,
    subject_digest VARCHAR(150),
    pushed_at      TIMESTAMP NOT NULL,
    CONSTRAINT manifest_repository_digest UNIQUE (repository_id, digest)
);
CREATE INDEX manifest_subject ON manifest (repository_id, subject_digest);

CREATE TABLE manifest_reference (
    manifest_id BIGINT NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
    seq         INT NOT NULL,
    digest      VARCHAR(150) NOT NULL,
    kind        VARCHAR(16) NOT NULL,
    PRIMARY KEY (manifest_id, seq)
);
CREATE INDEX manifest_reference_digest ON manifest_reference (digest);

CREATE TABLE tag (
    repository_id BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    name          VARCHAR(128) ${collate_c} NOT NULL,
    manifest_id   BIGINT NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (repository_id, name)
);
CREATE INDEX tag_manifest ON tag (manifest_id);
