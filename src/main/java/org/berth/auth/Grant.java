package org.berth.auth;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The outcome of a successful access check: who the caller is, what was granted, and (computed
 * only when a listing needs it) which projects' content the caller may see.
 */
public final class Grant {

    private final Identity identity;
    private final List<Access> granted;
    private final Supplier<Set<String>> visibleProjects;
    private Set<String> visible;
    private boolean computed;

    public Grant(Identity identity, List<Access> granted, Supplier<Set<String>> visibleProjects) {
        this.identity = identity;
        this.granted = List.copyOf(granted);
        this.visibleProjects = visibleProjects;
    }

    public Identity identity() {
        return identity;
    }

    /** The accesses granted (for the token service: what goes into the token). */
    public List<Access> granted() {
        return granted;
    }

    /** The projects whose repositories the caller may pull from; null means all. */
    public synchronized Set<String> visibleProjects() {
        if (!computed) {
            visible = visibleProjects.get();
            computed = true;
        }
        return visible;
    }
}
