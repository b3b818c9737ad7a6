package org.berth.auth.token;

import java.util.List;

/**
 * Where the token-signing keys are kept (in the metadata database, so that every node of a
 * cluster signs and verifies with the same keys and tokens survive restarts).
 */
public interface SigningKeyStore {

    /** All keys as JWK JSON (private parts included), newest first. */
    List<String> all();

    /** Stores a new key; false when a key with that id exists. */
    boolean add(String kid, String jwkJson);
}
