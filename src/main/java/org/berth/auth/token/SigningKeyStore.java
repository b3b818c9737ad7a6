package org.berth.auth.token;

import java.util.List;

/**
 * Where the token-signing keys are kept (in the metadata database, so that every node of a
 * cluster signs and verifies with the same keys and tokens survive restarts).
 */
public interface SigningKeyStore {

    /** All keys as JWK JSON (private parts included), newest first. */
    List<String> all();

    /**
     * Stores the first key: nothing when a key is stored already, so that nodes started together
     * on an empty database all sign with the one key stored first (issue 19).
     *
     * @return false when another key was there
     */
    boolean addFirst(String kid, String jwkJson);
}
