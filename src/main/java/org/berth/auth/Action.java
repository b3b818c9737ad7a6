package org.berth.auth;

/** What a client may do to a repository (Docker token spec scope actions). */
public enum Action {
    PULL, PUSH, DELETE;

    public String scopeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
