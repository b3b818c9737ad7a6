package org.berth.application.proxy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The proxy cache at {@code /metrics}: {@code berth_proxy_stale_total{reason}} (answers served from
 * the cache because the upstream failed), {@code berth_proxy_requests_total{result}} (hit: served
 * from the cache without asking the upstream; miss: fetched), {@code berth_proxy_upstream_requests_total{registry,result}}
 * (requests sent upstream, by outcome), {@code berth_proxy_circuit_open{registry}} (1 while the
 * registry is not asked: breaker open or 429), {@code berth_proxy_corrupt_total} (blobs refused for
 * a digest mismatch).
 */
@ApplicationScoped
public class ProxyMetrics {

    private static final String[] STALE_REASONS = {"timeout", "unreachable", "server_error", "rate_limited", "auth",
            "not_found", "invalid", UpstreamFailure.CIRCUIT_OPEN};

    @Inject
    MetricRegistry registry;

    private final ConcurrentMap<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private Metadata stale;
    private Metadata requests;
    private Metadata upstream;

    void started(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // the observer makes the bean, and @PostConstruct registers the series
    }

    @PostConstruct
    void register() {
        stale = Metadata.builder().withName("berth_proxy_stale").withUnit(MetricUnits.NONE)
                .withDescription("Proxy-cache answers served stale because the upstream failed, by reason").build();
        requests = Metadata.builder().withName("berth_proxy_requests").withUnit(MetricUnits.NONE)
                .withDescription("Proxy-cache manifest and blob requests: hit (from the cache) or miss (fetched)").build();
        upstream = Metadata.builder().withName("berth_proxy_upstream_requests").withUnit(MetricUnits.NONE)
                .withDescription("Requests the proxy cache sent to upstream registries, by outcome").build();
        for (String reason : STALE_REASONS) {
            registry.counter(stale, new Tag("reason", reason));
        }
        registry.counter(requests, new Tag("result", "hit"));
        registry.counter(requests, new Tag("result", "miss"));
        registry.counter(Metadata.builder().withName("berth_proxy_corrupt").withUnit(MetricUnits.NONE)
                .withDescription("Blobs from upstream registries refused: their bytes did not match their digest").build());
    }

    void stale(String reason) {
        registry.counter(stale, new Tag("reason", reason)).inc();
    }

    void hit() {
        registry.counter(requests, new Tag("result", "hit")).inc();
    }

    void miss() {
        registry.counter(requests, new Tag("result", "miss")).inc();
    }

    void upstream(String registryName, String result) {
        registry.counter(upstream, new Tag("registry", registryName), new Tag("result", result)).inc();
    }

    void corrupt() {
        registry.counter("berth_proxy_corrupt").inc();
    }

    void circuit(String registryName, boolean isOpen) {
        open.computeIfAbsent(registryName, r -> {
            AtomicInteger value = new AtomicInteger();
            registry.gauge(Metadata.builder().withName("berth_proxy_circuit_open").withUnit(MetricUnits.NONE)
                    .withDescription("1 while an upstream registry is not asked (circuit breaker open, or its Retry-After)")
                    .build(), value, AtomicInteger::get, new Tag("registry", r));
            return value;
        }).set(isOpen ? 1 : 0);
    }
}
