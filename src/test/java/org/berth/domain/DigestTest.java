package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

    // Well-known test vectors (FIPS 180-2): SHA-256 and SHA-512 of "abc" and of the empty string.
    static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String SHA256_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String SHA512_ABC = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    @Test
    void parsesSha256() {
        Digest d = Digest.parse("sha256:" + SHA256_ABC);
        assertEquals(DigestAlgorithm.SHA256, d.algorithm());
        assertEquals(SHA256_ABC, d.hex());
        assertEquals("sha256:" + SHA256_ABC, d.toString());
    }

    @Test
    void parsesSha512() {
        Digest d = Digest.parse("sha512:" + SHA512_ABC);
        assertEquals(DigestAlgorithm.SHA512, d.algorithm());
        assertEquals(SHA512_ABC, d.hex());
    }

    @Test
    void computesKnownVectors() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("sha256:" + SHA256_ABC, Digest.sha256(abc).toString());
        assertEquals("sha256:" + SHA256_EMPTY, Digest.sha256(new byte[0]).toString());
        assertEquals("sha512:" + SHA512_ABC, Digest.of(DigestAlgorithm.SHA512, abc).toString());
    }

    @Test
    void ofAndToStringRoundTrip() {
        byte[] content = "round trip".getBytes(StandardCharsets.UTF_8);
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            Digest d = Digest.of(algorithm, content);
            assertEquals(d, Digest.parse(d.toString()));
            assertEquals(algorithm.hexLength(), d.hex().length());
        }
    }

    @Test
    void fromFinishedMessageDigestMatchesOf() {
        byte[] content = "streamed".getBytes(StandardCharsets.UTF_8);
        var md = Digest.newMessageDigest(DigestAlgorithm.SHA512);
        md.update(content, 0, 3);
        md.update(content, 3, content.length - 3);
        assertEquals(Digest.of(DigestAlgorithm.SHA512, content), Digest.from(DigestAlgorithm.SHA512, md));
    }

    @Test
    void sameContentDifferentAlgorithmIsADifferentDigest() {
        byte[] content = {1, 2, 3};
        assertNotEquals(Digest.of(DigestAlgorithm.SHA256, content), Digest.of(DigestAlgorithm.SHA512, content));
    }

    @Test
    void upperCaseHexIsRejected() {
        var e = assertThrows(RegistryException.DigestInvalid.class,
                () -> Digest.parse("sha256:" + SHA256_ABC.toUpperCase()));
        assertEquals("sha256:" + SHA256_ABC.toUpperCase(), e.detail());
    }

    @Test
    void upperCaseAlgorithmIsRejected() {
        assertThrows(RegistryException.DigestInvalid.class, () -> Digest.parse("SHA256:" + SHA256_ABC));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 65, 128})
    void wrongLengthSha256IsRejected(int length) {
        String hex = "a".repeat(length);
        assertThrows(RegistryException.DigestInvalid.class, () -> Digest.parse("sha256:" + hex));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 127, 129})
    void wrongLengthSha512IsRejected(int length) {
        assertThrows(RegistryException.DigestInvalid.class, () -> Digest.parse("sha512:" + "b".repeat(length)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha384:", "md5:", "blake3:", "sha256+b64u:"})
    void unknownAlgorithmIsRejectedAsUnsupported(String prefix) {
        String value = prefix + "a".repeat(64);
        var e = assertThrows(RegistryException.DigestInvalid.class, () -> Digest.parse(value));
        assertTrue(e.getMessage().contains("unsupported digest algorithm"), e.getMessage());
        assertEquals(value, e.detail());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"sha256", "sha256:", ":" + SHA256_ABC, "sha256:" + SHA256_ABC + " ",
            " sha256:" + SHA256_ABC, "sha256::" + SHA256_ABC, "sha256:../../etc/passwd", "sha256:" + SHA256_ABC + "/x"})
    void malformedIsRejected(String value) {
        assertThrows(RegistryException.DigestInvalid.class, () -> Digest.parse(value));
    }

    @Test
    void overlongValueIsRejectedWithoutScanningIt() {
        assertThrows(RegistryException.DigestInvalid.class, () -> Digest.parse("sha256:" + "a".repeat(10_000)));
    }

    @Test
    void constructorValidatesToo() {
        assertThrows(RegistryException.DigestInvalid.class, () -> new Digest(DigestAlgorithm.SHA256, "abc"));
        assertThrows(RegistryException.DigestInvalid.class, () -> new Digest(DigestAlgorithm.SHA512, SHA256_ABC));
        assertThrows(RegistryException.DigestInvalid.class,
                () -> new Digest(DigestAlgorithm.SHA256, SHA256_ABC.replace('a', 'g')));
    }

    @Test
    void looksLikeDigestNeedsAnAlgorithmPart() {
        assertTrue(Digest.looksLikeDigest("sha256:abc"));
        assertTrue(Digest.looksLikeDigest("foo:bar"));
        assertFalse(Digest.looksLikeDigest("latest"));
        assertFalse(Digest.looksLikeDigest(":abc"));
    }
}
