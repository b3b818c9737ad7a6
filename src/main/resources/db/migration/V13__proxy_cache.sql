-- Berth metadata, version 13: proxy-cache projects (issue 20).
--  * proxy_project: a project that is a cache of a registry endpoint (V12), and how long a tag's
--    manifest is served before the upstream is asked again. An endpoint a project caches cannot
--    be deleted (the foreign key, and a 409 before it).
--  * proxy_tag_check: when Berth last confirmed a cached tag with the upstream (by a HEAD, which
--    Docker Hub does not count as a pull); gone with the repository.
--  * upstream_block: an upstream not to be asked until blocked_until, by every node: it answered
--    429 (its Retry-After) or a node's circuit breaker opened.
--  * proxy_fetch: the node fetching a blob from an upstream, renewed while it fetches, so that
--    concurrent pulls of one missing blob on several nodes make one upstream request.

CREATE TABLE proxy_project (
    project_name    VARCHAR(255) ${collate_c} PRIMARY KEY REFERENCES project (name) ON DELETE CASCADE,
    registry_name   VARCHAR(255) NOT NULL REFERENCES registry_endpoint (name),
    tag_ttl_seconds INT NOT NULL
);
CREATE INDEX proxy_project_registry ON proxy_project (registry_name);

CREATE TABLE proxy_tag_check (
    repository_id BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    tag           VARCHAR(128) ${collate_c} NOT NULL,
    checked_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (repository_id, tag)
);

CREATE TABLE upstream_block (
    registry_name VARCHAR(255) PRIMARY KEY,
    blocked_until TIMESTAMP NOT NULL,
    reason        VARCHAR(32) NOT NULL,
    last_error    VARCHAR(512)
);

CREATE TABLE proxy_fetch (
    fetch_key  VARCHAR(512) PRIMARY KEY,
    node       VARCHAR(100) NOT NULL,
    renewed_at TIMESTAMP NOT NULL
);
