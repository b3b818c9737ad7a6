package org.berth.application;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.auth.PasswordHasher;
import org.berth.domain.Account;
import org.berth.domain.AccountStore;
import org.berth.domain.RegistryException;

/** User accounts: creation, listing, passwords, the disabled and system-administrator flags. */
@ApplicationScoped
@Transactional
public class AccountService {

    /**
     * Names that would be read as something else: {@code current} is the API's alias for the
     * caller ({@code /api/v1/users/current}), {@code anonymous} the subject of anonymous tokens.
     */
    static final Set<String> RESERVED = Set.of("current", "anonymous");

    @Inject
    AccountStore accounts;

    @Inject
    PasswordHasher passwords;

    public Account create(String username, char[] password, boolean sysadmin) {
        if (!Account.isValidUsername(username)) {
            throw new RegistryException.InvalidRequest(
                    "invalid username: use up to 255 letters, digits and . _ @ -, starting with a letter or digit");
        }
        if (RESERVED.contains(username.toLowerCase(Locale.ROOT))) {
            throw new RegistryException.InvalidRequest("the username '" + username + "' is reserved");
        }
        PasswordPolicy.check(password);
        // Names are unique without regard to case (the store refuses Admin beside admin), so that
        // no two accounts look alike in the portal or the audit log; logging in takes the exact name.
        Account account = new Account(username, passwords.hash(password), sysadmin, false, Instant.now());
        if (!accounts.create(account)) {
            throw new RegistryException.Conflict(
                    "user '" + username + "' already exists (user names are unique without regard to case)", username);
        }
        return account;
    }

    public Listing<Account> list(int offset, int limit) {
        return new Listing<>(accounts.list(offset, limit), accounts.count());
    }

    public Account get(String username) {
        return accounts.find(username).orElseThrow(() -> notFound(username));
    }

    /**
     * Sets the flags that are given (null leaves one as it is). Refused when it would disable or
     * demote the last enabled system administrator: nobody could then manage users or projects.
     *
     * @return the account as it is now
     */
    public Account update(String username, Boolean disabled, Boolean sysadmin) {
        Account account = get(username);
        boolean removesTheRight = account.sysadmin() && !account.disabled()
                && (Boolean.TRUE.equals(disabled) || Boolean.FALSE.equals(sysadmin));
        if (removesTheRight && accounts.lockActiveSysadmins().stream().noneMatch(other -> !other.equals(username))) {
            throw new RegistryException.Conflict("'" + username + "' is the last system administrator:"
                    + " make another user a system administrator before disabling or demoting this one", username);
        }
        if (disabled != null) {
            accounts.setDisabled(username, disabled);
        }
        if (sysadmin != null) {
            accounts.setSysadmin(username, sysadmin);
        }
        return get(username);
    }

    /**
     * Changes a password. Users changing their own must prove they know the old one (a stolen
     * session or token alone must not take the account over); a system administrator resetting
     * someone else's need not. Whether {@code actor} may act on the account at all is the access
     * controller's decision, made before this is called.
     *
     * @param actor       who asks
     * @param oldPassword required when {@code actor} is {@code username}
     */
    public void changePassword(String actor, String username, char[] oldPassword, char[] newPassword) {
        Account account = get(username);
        if (username.equals(actor)
                && (oldPassword == null || !passwords.matches(oldPassword, account.passwordHash()))) {
            throw new RegistryException.InvalidRequest("the old password is missing or incorrect");
        }
        PasswordPolicy.check(newPassword);
        accounts.setPasswordHash(username, passwords.hash(newPassword));
    }

    private static RegistryException notFound(String username) {
        return new RegistryException.NotFound("user '" + username + "' not found", username);
    }
}
