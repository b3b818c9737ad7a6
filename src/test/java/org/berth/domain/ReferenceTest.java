package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceTest {

    private static final String DIGEST = "sha256:" + DigestTest.SHA256_ABC;

    @Test
    void tagIsParsedAsTag() {
        var ref = assertInstanceOf(Reference.ByTag.class, Reference.parse("v1.2"));
        assertEquals(new Tag("v1.2"), ref.tag());
        assertEquals("v1.2", ref.toString());
    }

    @Test
    void digestIsParsedAsDigest() {
        var ref = assertInstanceOf(Reference.ByDigest.class, Reference.parse(DIGEST));
        assertEquals(Digest.parse(DIGEST), ref.digest());
        assertEquals(DIGEST, ref.toString());
    }

    @Test
    void invalidTagIsTagInvalid() {
        assertThrows(RegistryException.TagInvalid.class, () -> Reference.parse("-bad"));
        assertThrows(RegistryException.TagInvalid.class, () -> Reference.parse("t".repeat(129)));
        assertThrows(RegistryException.TagInvalid.class, () -> Reference.parse(":leading-colon"));
        assertThrows(RegistryException.TagInvalid.class, () -> Reference.parse(""));
        assertThrows(RegistryException.TagInvalid.class, () -> Reference.parse(null));
    }

    @Test
    void somethingWithAnAlgorithmPartIsJudgedAsADigest() {
        assertThrows(RegistryException.DigestInvalid.class, () -> Reference.parse("sha256:abc"));
        var e = assertThrows(RegistryException.DigestInvalid.class, () -> Reference.parse("md5:" + "a".repeat(32)));
        assertEquals("unsupported digest algorithm (sha256 and sha512 are supported)", e.getMessage());
    }
}
