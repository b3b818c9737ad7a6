package org.berth.auth.shiro;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.shiro.authc.credential.DefaultPasswordService;
import org.apache.shiro.crypto.hash.DefaultHashService;
import org.berth.auth.PasswordHasher;

/**
 * Passwords hashed with Shiro 2's bcrypt ({@code $shiro2$2y$10$...}). bcrypt rather than argon2:
 * argon2's memory cost per login would compete with blob traffic for a small heap.
 */
@ApplicationScoped
public class ShiroPasswordHasher implements PasswordHasher {

    private final DefaultPasswordService service;

    public ShiroPasswordHasher() {
        DefaultHashService hashing = new DefaultHashService();
        hashing.setDefaultAlgorithmName("2y");
        service = new DefaultPasswordService();
        service.setHashService(hashing);
    }

    @Override
    public String hash(char[] password) {
        return service.encryptPassword(new String(password));
    }

    @Override
    public boolean matches(char[] password, String hash) {
        if (hash == null) {
            return false;
        }
        return service.passwordsMatch(new String(password), hash);
    }
}
