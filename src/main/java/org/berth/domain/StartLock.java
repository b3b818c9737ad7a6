package org.berth.domain;

/**
 * The lock of what is created once for all nodes (issue 19): nodes started together on an empty
 * database take it in turn, so the first creates the system administrator and {@code library}
 * and the others find them, with no lost race for a unique key.
 */
public interface StartLock {

    /** Waits for the lock and holds it until the caller's transaction ends (one must be active). */
    void holdUntilCommit();
}
