package org.berth.infrastructure.remote;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.berth.application.proxy.EndpointProbe;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteFailure.Reason;
import org.berth.remote.RemoteRegistry;

/**
 * THE SEAM where the outgoing registry client is wired into the "test connection" (issue 20).
 *
 * <p>PLACEHOLDER on branch {@code registries}: until {@code org.berth.remote.RegistryClient} (branch
 * {@code remote}) is merged, a bare {@code GET /v2/} with Basic credentials and the contract's
 * timeouts (connect 5 s, answer 20 s), no token flow, no retries, and {@code verify_tls=false} not
 * honoured. At merge this becomes {@code client.ping(registry)} on one {@code RegistryClient}
 * (made with {@code Settings.defaults()} and closed with the application).
 */
@ApplicationScoped
public class ClientEndpointProbe implements EndpointProbe {

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Override
    public void ping(RemoteRegistry registry) throws RemoteFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + "/v2/"))
                .timeout(Duration.ofSeconds(20))
                .GET();
        registry.username().ifPresent(user -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + registry.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
        int status;
        try {
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpConnectTimeoutException e) {
            throw new RemoteFailure(Reason.TIMEOUT, 0, "no connection within 5 s", Optional.empty());
        } catch (HttpTimeoutException e) {
            throw new RemoteFailure(Reason.TIMEOUT, 0, "no answer within 20 s", Optional.empty());
        } catch (IOException e) {
            throw new RemoteFailure(Reason.UNREACHABLE, 0, "cannot connect to " + registry.url().getHost()
                    + (registry.url().getPort() < 0 ? "" : ":" + registry.url().getPort()), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteFailure(Reason.TIMEOUT, 0, "interrupted", Optional.empty());
        }
        if (status == 200) {
            return;
        }
        Reason reason = status == 401 || status == 403 ? Reason.AUTH
                : status == 404 ? Reason.NOT_FOUND
                : status == 429 ? Reason.RATE_LIMITED
                : status >= 500 ? Reason.SERVER_ERROR
                : Reason.INVALID;
        throw new RemoteFailure(reason, status, "GET /v2/ answered " + status, Optional.empty());
    }
}
