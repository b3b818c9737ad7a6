package org.berth.domain;

/**
 * A request for one page of a lexically ordered listing (OCI dist-spec "Listing Tags":
 * {@code n} and {@code last}).
 *
 * @param last  return only entries after this one; null for the first page
 * @param limit at most this many entries
 */
public record Page(String last, int limit) {

    /** Upper bound on one page, whatever the client asks for. */
    public static final int MAX_LIMIT = 10_000;

    public Page {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        limit = Math.min(limit, MAX_LIMIT);
    }
}
