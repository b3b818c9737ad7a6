-- Berth metadata, version 9: immutable-tag rules (issue 17).
--  * immutable_tag_rule: a project's rules (at most 15, counted by the application while it holds
--    the project's row lock). A tag of the project that a rule's repository and tag selectors
--    (glob and mode 'MATCHING' or 'EXCLUDING') select can neither move nor be deleted while the
--    rule is not disabled. Rules go with their project (ON DELETE CASCADE, as members and robots
--    do); a project is deleted only once it has no repositories, so no tag is left unprotected.
--    Rules are read per project, through the unique (project_id, name) index.

CREATE SEQUENCE immutable_tag_rule_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE immutable_tag_rule (
    id                 BIGINT PRIMARY KEY,
    project_id         BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name               VARCHAR(64) NOT NULL,
    repository_pattern VARCHAR(256) NOT NULL,
    repository_mode    VARCHAR(16) NOT NULL,
    tag_pattern        VARCHAR(256) NOT NULL,
    tag_mode           VARCHAR(16) NOT NULL,
    disabled           BOOLEAN NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    created_by         VARCHAR(255) NOT NULL,
    CONSTRAINT immutable_tag_rule_project_name UNIQUE (project_id, name)
);
