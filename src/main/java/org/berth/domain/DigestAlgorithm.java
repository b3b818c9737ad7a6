package org.berth.domain;

import java.util.Locale;
import java.util.Optional;

/** The digest algorithms Berth verifies (OCI image-spec "Digests": sha256 required, sha512 optional). */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String prefix;
    private final String jcaName;
    private final int hexLength;

    DigestAlgorithm(String prefix, String jcaName, int hexLength) {
        this.prefix = prefix;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    /** The name used in digest strings, e.g. {@code sha256}. */
    public String prefix() {
        return prefix;
    }

    /** The name {@link java.security.MessageDigest} knows it by. */
    public String jcaName() {
        return jcaName;
    }

    public int hexLength() {
        return hexLength;
    }

    public static Optional<DigestAlgorithm> byPrefix(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        for (DigestAlgorithm a : values()) {
            if (a.prefix.equals(p)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
