package org.berth.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * TEMPORARY on the identity-admin branch, so that the WAR deploys before the Shiro password hasher
 * lands (issue 3): delete this file when merging the identity branch, or CDI will find two
 * PasswordHashers. PBKDF2-HMAC-SHA256 from the JDK, so it is not weak while it lives.
 */
@ApplicationScoped
public class StandInPasswordHasher implements PasswordHasher {

    private static final String PREFIX = "$pbkdf2-sha256$";
    private static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    @Override
    public boolean matches(char[] password, String hash) {
        if (password == null || hash == null || !hash.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = hash.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) {
            return false;
        }
        try {
            byte[] expected = Base64.getDecoder().decode(parts[2]);
            byte[] actual = derive(password, Base64.getDecoder().decode(parts[1]), Integer.parseInt(parts[0]));
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
