package org.berth.storage;

import java.util.HexFormat;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A running SHA-256 whose state can be saved and restored, on another node: Bouncy Castle's
 * {@link SHA256Digest} and its encoded state (the JDK's MessageDigest cannot be saved). An upload
 * on S3 needs it: the bytes of an unfinished multipart upload cannot be read back to rebuild it.
 */
final class ResumableSha256 {

    private final SHA256Digest digest;

    ResumableSha256() {
        this(new SHA256Digest());
    }

    private ResumableSha256(SHA256Digest digest) {
        this.digest = digest;
    }

    /** @throws IllegalArgumentException when {@code state} is no saved SHA-256 state */
    static ResumableSha256 restore(byte[] state) {
        return new ResumableSha256(new SHA256Digest(state));
    }

    void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    byte[] state() {
        return digest.getEncodedState();
    }

    ResumableSha256 copy() {
        return new ResumableSha256(new SHA256Digest(digest));
    }

    /** The digest of the bytes so far; this running hash goes on unchanged. */
    Digest current() {
        SHA256Digest finished = new SHA256Digest(digest);
        byte[] out = new byte[finished.getDigestSize()];
        finished.doFinal(out, 0);
        return new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(out));
    }
}
