package org.berth.infrastructure.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.berth.application.SecretBox;
import org.berth.domain.RegistryException;

/**
 * {@link SecretBox} with AES-256-GCM (NIST SP 800-38D): a random 12-byte nonce per seal (never
 * reused under one key: 2^-32 collision odds only after some 2^32 seals, and Berth seals a
 * handful), a 128-bit tag, the context as associated data. A sealed value reads
 * {@code v1:<base64 of nonce, ciphertext and tag>}; the version names the format and the
 * algorithm, so that a later one can be told apart.
 */
public final class AesGcmSecretBox implements SecretBox {

    static final String VERSION = "v1:";
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keySource;

    /**
     * @param key       32 bytes (copied)
     * @param keySource where the key came from, for the error of a value it cannot open, e.g.
     *                  {@code BERTH_SECRET_KEY}; never the key itself
     */
    public AesGcmSecretBox(byte[] key, String keySource) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keySource = Objects.requireNonNull(keySource, "keySource");
    }

    @Override
    public String seal(String secret, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(plain.length));
            out.put(nonce);
            cipher.doFinal(ByteBuffer.wrap(plain), out);
            return VERSION + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public String open(String sealed, String context) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw unreadable(context, "it is not in a format this Berth knows (v1)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw unreadable(context, "it is damaged");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw unreadable(context, "it is damaged");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), context);
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            try {
                return new String(plain, StandardCharsets.UTF_8);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw unreadable(context, "it was sealed with another key (or is damaged)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A 503 that says what to do; nothing of the value or the key. */
    private RegistryException.Unavailable unreadable(String context, String why) {
        return new RegistryException.Unavailable("the stored secret of " + context + " cannot be opened with Berth's"
                + " secret key (" + keySource + "): " + why + ". Give every Berth node the key it was sealed with"
                + " (BERTH_SECRET_KEY), or set the secret again");
    }
}
