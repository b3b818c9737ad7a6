-- Berth metadata, version 2: accounts, projects, members, robot accounts, personal access
-- tokens, and the token-signing key. A repository belongs to the project named by its first
-- path component; single-component names ("nginx") belong to "library".

CREATE SEQUENCE account_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE project_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE robot_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE personal_token_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE account (
    id            BIGINT PRIMARY KEY,
    username      VARCHAR(255) ${collate_c} NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    sysadmin      BOOLEAN NOT NULL,
    disabled      BOOLEAN NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE project (
    id          BIGINT PRIMARY KEY,
    name        VARCHAR(255) ${collate_c} NOT NULL UNIQUE,
    is_public   BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE project_member (
    project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role       VARCHAR(32) NOT NULL,
    PRIMARY KEY (project_id, account_id)
);
CREATE INDEX project_member_account ON project_member (account_id);

CREATE TABLE robot (
    id          BIGINT PRIMARY KEY,
    project_id  BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name        VARCHAR(255) NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    actions     VARCHAR(64) NOT NULL,
    expires_at  TIMESTAMP,
    disabled    BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    CONSTRAINT robot_project_name UNIQUE (project_id, name)
);

CREATE TABLE personal_token (
    id          BIGINT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name        VARCHAR(255) NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    actions     VARCHAR(64) NOT NULL,
    expires_at  TIMESTAMP,
    revoked     BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    CONSTRAINT personal_token_account_name UNIQUE (account_id, name)
);

CREATE TABLE signing_key (
    kid        VARCHAR(64) PRIMARY KEY,
    jwk        VARCHAR(8192) NOT NULL,
    created_at TIMESTAMP NOT NULL
);

ALTER TABLE repository ADD COLUMN project VARCHAR(255) ${collate_c};
UPDATE repository SET project = CASE WHEN POSITION('/' IN name) > 0
    THEN SUBSTRING(name FROM 1 FOR POSITION('/' IN name) - 1) ELSE 'library' END;
ALTER TABLE repository ALTER COLUMN project SET NOT NULL;
CREATE INDEX repository_project ON repository (project, name);
