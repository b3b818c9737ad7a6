package org.berth.remote;

import java.net.URI;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Walks a repository's tags a page at a time ({@link RegistryClient#tags}): each {@link #next()}
 * is one request, following the previous answer's {@code Link} header. Not thread-safe.
 */
public final class TagCursor {

    /** The most pages walked: a registry whose links go round in circles ends here. */
    public static final int MAX_PAGES = 100_000;

    record Page(List<String> tags, Optional<URI> next) {
    }

    @FunctionalInterface
    interface Fetch {
        Page page(URI uri) throws RemoteFailure;
    }

    private final Fetch fetch;
    private URI next;
    private int pages;
    private String lastTag;

    TagCursor(Fetch fetch, URI first) {
        this.fetch = fetch;
        this.next = first;
    }

    /** True until the page without a next link was read. */
    public boolean hasNext() {
        return next != null;
    }

    /** The next page of tags (possibly empty on the last page). */
    public List<String> next() throws RemoteFailure {
        if (next == null) {
            throw new NoSuchElementException("no more tag pages");
        }
        URI uri = next;
        Page page = fetch.page(uri);
        pages++;
        String last = page.tags().isEmpty() ? null : page.tags().get(page.tags().size() - 1);
        if (page.next().isPresent()) {
            // a next page after an empty one, after the same last tag, or after too many pages never ends
            if (last == null || last.equals(lastTag) || page.next().get().equals(uri) || pages >= MAX_PAGES) {
                throw UpstreamFailures.invalid("GET", uri, 200, "tag list pages do not advance");
            }
        }
        lastTag = last;
        next = page.next().orElse(null);
        return page.tags();
    }
}
