package org.berth.application;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;

import org.berth.domain.RegistryException;

/** What a user password must be. */
final class PasswordPolicy {

    static final int MIN_CHARACTERS = 8;
    /** bcrypt reads at most 72 bytes; a longer password would be silently cut (or refused by the hasher). */
    static final int MAX_BYTES = 72;

    private PasswordPolicy() {
    }

    /** @throws RegistryException.InvalidRequest when the password breaks the policy */
    static void check(char[] password) {
        if (password == null || CharBuffer.wrap(password).codePoints().count() < MIN_CHARACTERS) {
            throw new RegistryException.InvalidRequest("the password must have at least " + MIN_CHARACTERS + " characters");
        }
        if (StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining() > MAX_BYTES) {
            throw new RegistryException.InvalidRequest("the password must be at most " + MAX_BYTES + " bytes long in UTF-8");
        }
    }
}
