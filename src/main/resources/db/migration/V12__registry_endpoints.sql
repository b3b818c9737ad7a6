-- Berth metadata, version 12: registry endpoints (issue 20, the pull-through proxy cache).
--  * registry_endpoint: a remote registry Berth may pull from, by a name of the project-name
--    grammar (which proxy projects will reference): its base URL (http or https, no user-info,
--    query or trailing slash), the user name and password to sign in with (both optional), and
--    whether its TLS certificate is verified. The password is never stored in clear:
--    password_sealed holds it sealed with AES-256-GCM under Berth's secret key (BERTH_SECRET_KEY,
--    else <data root>/keys/secret.key) as "v1:" and the base64 of the 12-byte nonce and the
--    ciphertext with its tag, the endpoint's name bound as associated data (a sealed password
--    copied to another row does not open). A password of at most 1,024 bytes seals to at most
--    1,410 characters; 4,096 leaves room for a later format. NULL: no password.
--    Read by name (the primary key) and listed by name; a handful of rows.

CREATE TABLE registry_endpoint (
    name            VARCHAR(255) PRIMARY KEY,
    url             VARCHAR(2048) NOT NULL,
    username        VARCHAR(255),
    password_sealed VARCHAR(4096),
    verify_tls      BOOLEAN NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
