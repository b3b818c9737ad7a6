package org.berth.application;

import java.security.SecureRandom;
import java.util.Base64;

import org.berth.domain.PersonalToken;

/** Generated credentials: 256 random bits, base64url without padding (43 characters). */
final class SecretGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;

    private SecretGenerator() {
    }

    /** A robot account's secret. */
    static String secret() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A personal access token for the stored row {@code id}. */
    static String personalToken(long id) {
        return PersonalToken.format(id, secret());
    }
}
