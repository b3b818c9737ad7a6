package org.berth.domain;

import java.util.List;
import java.util.Optional;

/** User accounts. */
public interface AccountStore {

    Optional<Account> find(String username);

    /** Accounts in username order, skipping {@code offset}. */
    List<Account> list(int offset, int limit);

    long count();

    /** @return false when the username is taken, in any mix of upper and lower case */
    boolean create(Account account);

    /**
     * The enabled system administrators, their rows locked until the transaction ends: a change
     * that would leave none takes this first, so two requests cannot each remove one of the last two.
     */
    List<String> lockActiveSysadmins();

    void setPasswordHash(String username, String passwordHash);

    void setSysadmin(String username, boolean sysadmin);

    void setDisabled(String username, boolean disabled);
}
