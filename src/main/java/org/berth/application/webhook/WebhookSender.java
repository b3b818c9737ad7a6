package org.berth.application.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one delivery over HTTP without blocking the caller. The answer is bounded in time (a
 * connect timeout and an answer timeout): the future always completes, with the outcome, never
 * exceptionally.
 */
public interface WebhookSender {

    /**
     * @param headers every header to send, the Authorization header among them when set (the
     *                sender never logs a header)
     */
    CompletableFuture<Outcome> post(URI url, Map<String, String> headers, byte[] body, boolean verifyTls,
                                    Duration connectTimeout, Duration answerTimeout);

    /**
     * @param status the HTTP status, or 0 when none came (refused, timed out, TLS failure)
     * @param error  why it failed, short and without secrets; null for a 2xx
     */
    record Outcome(int status, Duration duration, String error) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }
}
