package org.berth.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:e3b0...}: the identity of every blob and manifest.
 * Only well-formed digests of a supported algorithm can be constructed, so a {@code Digest}
 * is always safe to use as part of a storage path.
 */
public record Digest(DigestAlgorithm algorithm, String hex) {

    // OCI image-spec descriptor.md: algorithm ":" encoded
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        if (hex.length() != algorithm.hexLength() || !LOWER_HEX.matcher(hex).matches()) {
            throw new RegistryException.DigestInvalid("invalid " + algorithm.prefix() + " digest", algorithm.prefix() + ":" + hex);
        }
    }

    /**
     * Parses a digest string.
     *
     * @throws RegistryException.DigestInvalid if it is malformed or names an algorithm Berth does not verify
     */
    public static Digest parse(String value) {
        if (value == null || value.length() > 256 || !GRAMMAR.matcher(value).matches()) {
            throw new RegistryException.DigestInvalid("invalid digest", value);
        }
        int colon = value.indexOf(':');
        DigestAlgorithm algorithm = DigestAlgorithm.byPrefix(value.substring(0, colon))
                .orElseThrow(() -> new RegistryException.DigestInvalid(
                        "unsupported digest algorithm (sha256 and sha512 are supported)", value));
        return new Digest(algorithm, value.substring(colon + 1));
    }

    /** True when the value looks like a digest (has an algorithm part), whether or not it is valid. */
    public static boolean looksLikeDigest(String value) {
        return value.indexOf(':') > 0;
    }

    public static Digest of(DigestAlgorithm algorithm, byte[] content) {
        return new Digest(algorithm, HexFormat.of().formatHex(newMessageDigest(algorithm).digest(content)));
    }

    public static Digest sha256(byte[] content) {
        return of(DigestAlgorithm.SHA256, content);
    }

    public static MessageDigest newMessageDigest(DigestAlgorithm algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm.jcaName(), e);
        }
    }

    /** Builds a digest from a finished {@link MessageDigest}. */
    public static Digest from(DigestAlgorithm algorithm, MessageDigest finished) {
        return new Digest(algorithm, HexFormat.of().formatHex(finished.digest()));
    }

    @Override
    public String toString() {
        return algorithm.prefix() + ":" + hex;
    }
}
