package org.berth.application.proxy;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

/**
 * Whether this request is answered from a proxy cache that could not confirm the answer with its
 * upstream; the /v2 layer then adds {@code Warning: 110 - "Response is Stale"} (RFC 7234 5.5.1).
 */
@RequestScoped
public class StaleResponse {

    private String reason;

    void mark(String why) {
        this.reason = why;
    }

    /** Why the answer is stale (the upstream's failure), when it is. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
