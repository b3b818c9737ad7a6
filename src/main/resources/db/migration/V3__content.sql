-- Berth metadata, version 3: content administration and quotas.
--  * project.quota_bytes: the storage limit of a project in bytes, -1 = unlimited (the default);
--    checked against the project's physical usage (distinct blobs and manifests) at push.
--  * pull counts and last pull times of repositories and manifests, written in batches by the
--    pull counter (never on the pull itself).
--  * manifest_reference.size_bytes: the size declared by the descriptor, so that an artifact's
--    total size and a project's logical usage are one query (NULL for foreign layers pushed
--    before this version; counted as 0).

ALTER TABLE project ADD COLUMN quota_bytes BIGINT DEFAULT -1 NOT NULL;

ALTER TABLE repository ADD COLUMN pull_count BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE repository ADD COLUMN last_pull_at TIMESTAMP;

ALTER TABLE manifest ADD COLUMN pull_count BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE manifest ADD COLUMN last_pull_at TIMESTAMP;
CREATE INDEX manifest_pushed ON manifest (repository_id, pushed_at);

ALTER TABLE manifest_reference ADD COLUMN size_bytes BIGINT;
UPDATE manifest_reference SET size_bytes = (
    SELECT l.size_bytes FROM blob_link l, manifest m
    WHERE m.id = manifest_reference.manifest_id AND l.repository_id = m.repository_id
      AND l.digest = manifest_reference.digest)
WHERE kind <> 'MANIFEST';
UPDATE manifest_reference SET size_bytes = (
    SELECT c.size_bytes FROM manifest c, manifest m
    WHERE m.id = manifest_reference.manifest_id AND c.repository_id = m.repository_id
      AND c.digest = manifest_reference.digest)
WHERE kind = 'MANIFEST';
