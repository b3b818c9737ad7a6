package org.berth.domain;

import java.util.List;
import java.util.Optional;

/** User accounts. */
public interface AccountStore {

    Optional<Account> find(String username);

    /** Accounts in username order, skipping {@code offset}. */
    List<Account> list(int offset, int limit);

    long count();

    /** @return false when the username is taken */
    boolean create(Account account);

    void setPasswordHash(String username, String passwordHash);

    void setSysadmin(String username, boolean sysadmin);

    void setDisabled(String username, boolean disabled);
}
