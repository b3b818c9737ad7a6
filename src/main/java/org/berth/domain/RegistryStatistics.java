package org.berth.domain;

/** Figures about the metadata store for the system information page and metrics. */
public interface RegistryStatistics {

    /**
     * @param blobs     distinct content-addressed blobs (layers, configs, manifests)
     * @param blobBytes their total size: what the blob store holds, each blob once
     */
    record Counts(long users, long projects, long repositories, long artifacts, long blobs, long blobBytes) {
    }

    /** @param kind e.g. {@code H2} or {@code PostgreSQL}; version as the database reports it */
    record Database(String kind, String version) {
    }

    Counts counts();

    /** The database, as its JDBC driver names it; answers only when the database does. */
    Database database();
}
