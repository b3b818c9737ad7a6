package org.berth.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;

/**
 * Hashes of generated secrets (robot secrets, personal access tokens). These are 256-bit random
 * values, so a plain SHA-256 is enough (no dictionary to attack), unlike user passwords.
 */
public final class SecretHasher {

    private SecretHasher() {
    }

    public static String hash(String secret) {
        MessageDigest md = Digest.newMessageDigest(DigestAlgorithm.SHA256);
        return HexFormat.of().formatHex(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Constant-time comparison. */
    public static boolean matches(String secret, String hash) {
        if (secret == null || hash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
    }
}
