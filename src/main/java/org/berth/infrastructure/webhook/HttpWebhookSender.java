package org.berth.infrastructure.webhook;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.berth.application.webhook.WebhookSender;
import org.berth.remote.InsecureTls;

/**
 * Webhook deliveries with the JDK's HTTP client, asynchronously: no thread waits for a receiver.
 * HTTP/1.1, no redirects followed (a receiver cannot send Berth's request elsewhere), the answer's
 * body read and dropped, the whole exchange bounded by the answer timeout plus a margin. Errors are
 * described by their kind, never with a header or the URL (which may hold a token in its query).
 */
@ApplicationScoped
public class HttpWebhookSender implements WebhookSender {

    /** One client per (TLS verification, connect timeout): clients pool their connections. */
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Outcome> post(URI url, Map<String, String> headers, byte[] body, boolean verifyTls,
                                           Duration connectTimeout, Duration answerTimeout) {
        long start = System.nanoTime();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .timeout(answerTimeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            HttpClient client = clients.computeIfAbsent(verifyTls + "/" + connectTimeout.toMillis(),
                    k -> client(verifyTls, connectTimeout));
            return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .orTimeout(connectTimeout.plus(answerTimeout).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS)
                    .handle((response, failure) -> {
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        if (failure != null) {
                            return new Outcome(0, took, describe(failure));
                        }
                        int status = response.statusCode();
                        return new Outcome(status, took, status >= 200 && status < 300 ? null : "HTTP " + status);
                    });
        } catch (IllegalArgumentException e) {
            // a header value the client refuses (checked at create, so only an old row)
            return CompletableFuture.completedFuture(new Outcome(0, Duration.ZERO, "invalid request"));
        }
    }

    static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "timed out waiting for the answer";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof SSLException) {
            return "TLS failed: " + cause.getClass().getSimpleName();
        }
        return "failed: " + cause.getClass().getSimpleName();
    }

    private static HttpClient client(boolean verifyTls, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        if (!verifyTls) {
            builder.sslContext(InsecureTls.context());
        }
        return builder.build();
    }
}
