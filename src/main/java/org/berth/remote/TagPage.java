package org.berth.remote;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an upstream's tag list.
 *
 * @param next the {@code last} to ask for the next page with, from the {@code Link} header; empty on the last page
 */
public record TagPage(List<String> tags, Optional<String> next) {

    public TagPage {
        tags = List.copyOf(tags);
        Objects.requireNonNull(next, "next");
    }
}
