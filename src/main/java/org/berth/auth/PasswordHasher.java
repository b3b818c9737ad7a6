package org.berth.auth;

/** One-way hashing of user passwords (implemented with Shiro's bcrypt support). */
public interface PasswordHasher {

    String hash(char[] password);

    /** Constant-time comparison of a password with a stored hash. */
    boolean matches(char[] password, String hash);
}
