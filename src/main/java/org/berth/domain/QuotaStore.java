package org.berth.domain;

/** The storage limit of each project and the usage it is checked against. */
public interface QuotaStore {

    /** Means no limit. */
    long UNLIMITED = -1;

    /** The project's limit in bytes, or {@link #UNLIMITED}. */
    long limit(String project);

    /**
     * The project's limit, read under a lock held until the current transaction ends, so that
     * pushes into one project are checked and recorded one after another.
     */
    long lockedLimit(String project);

    void setLimit(String project, long limitBytes);

    /** Distinct blobs and manifests of the project's repositories, in bytes. */
    long physicalBytes(String project);

    /** Whether a repository of the project already links the blob or holds the manifest. */
    boolean holds(String project, Digest digest);
}
