-- Berth metadata, version 7: every file under blobs/ has a row, so that garbage collection can
-- decide a blob's life in the database (issue 16).
--  * stored_blob: one row per digest stored under blobs/ (layers, configs and manifests alike),
--    with its size and when it was last uploaded, linked or mounted. Whoever links a blob (an
--    upload, a mount, a manifest's own bytes) holds this row's lock (SELECT ... FOR UPDATE) while
--    it checks that the file is there and links it; the collector holds the same lock while it
--    checks that nothing links or references the blob, removes the file and deletes the row. So
--    "link this blob" and "delete this blob" are serialized, and never both win.
--  * blob_link.touched_at: when the link was last made, mounted or answered 200 to a HEAD: a
--    client that was told a repository has a blob may reference it within the grace period.
--  * manifest_digest: the collector asks "does any repository hold a manifest with this digest".
-- Rows of blobs stored before this version get the time of the upgrade: everything on disk then
-- has a whole grace period before it can be collected. Files that no link or manifest names get
-- no row: the collector removes them as orphans once they are older than the grace period.

CREATE TABLE stored_blob (
    digest     VARCHAR(150) PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    touched_at TIMESTAMP NOT NULL
);
INSERT INTO stored_blob (digest, size_bytes, touched_at)
    SELECT digest, MAX(size_bytes), LOCALTIMESTAMP FROM (
        SELECT digest, size_bytes FROM blob_link
        UNION ALL
        SELECT digest, size_bytes FROM manifest) named
    GROUP BY digest;

ALTER TABLE blob_link ADD COLUMN touched_at TIMESTAMP;
UPDATE blob_link SET touched_at = LOCALTIMESTAMP;
ALTER TABLE blob_link ALTER COLUMN touched_at SET NOT NULL;

CREATE INDEX manifest_digest ON manifest (digest);
