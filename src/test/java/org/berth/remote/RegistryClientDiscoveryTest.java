package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.berth.domain.Descriptor;
import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.remote.RemoteFailure.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Referrers (API and tag schema) and walking every tag a page at a time. */
class RegistryClientDiscoveryTest {

    static final String REPO = "team/app";
    static final String SUBJECT = "sha256:" + "5".repeat(64);
    static final String SIG = "sha256:" + "1".repeat(64);
    static final String SBOM = "sha256:" + "2".repeat(64);
    static final String SIG_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    static final String SBOM_TYPE = "application/spdx+json";

    private FakeUpstream upstream;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        client = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    static String index(String... descriptors) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + String.join(",", descriptors) + "]}";
    }

    static String descriptor(String digest, String artifactType) {
        return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":123,\"artifactType\":\""
                + artifactType + "\",\"annotations\":{\"org.opencontainers.image.created\":\"2026-12-04T00:00:00Z\"}}";
    }

    // ------------------------------------------------------------------ referrers

    @Test
    void referrersComeFromTheApiAcrossPagesFilteredByArtifactType() throws Exception {
        String path = "/v2/" + REPO + "/referrers/" + SUBJECT;
        upstream.on(path, ex -> {
            String query = ex.getRequestURI().getRawQuery();
            if (query != null && query.contains("page=2")) {
                FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, index(descriptor(SBOM, SBOM_TYPE)).getBytes(StandardCharsets.UTF_8));
            } else {
                // this registry ignores the filter (no OCI-Filters-Applied): the client applies it
                FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, index(descriptor(SIG, SIG_TYPE), descriptor(SBOM, SBOM_TYPE))
                        .getBytes(StandardCharsets.UTF_8), "Link", "<" + path + "?page=2>; rel=\"next\"");
            }
        });

        Referrers all = client.listReferrers(upstream.anonymous(), REPO, SUBJECT, null);
        Referrers sigs = client.listReferrers(upstream.anonymous(), REPO, SUBJECT, SIG_TYPE);

        assertFalse(all.fromTagSchema());
        assertEquals(List.of(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(SIG), 123, SIG_TYPE),
                new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(SBOM), 123, SBOM_TYPE),
                new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(SBOM), 123, SBOM_TYPE)), all.manifests());
        assertEquals(List.of(Digest.parse(SIG)), sigs.manifests().stream().map(Descriptor::digest).toList());
        List<FakeUpstream.Seen> seen = upstream.seen(path);
        assertEquals(4, seen.size(), "two pages, twice");
        assertEquals("artifactType=application%2Fvnd.dev.cosign.artifact.sig.v1%2Bjson", seen.get(2).query());
        assertEquals(MediaTypes.OCI_INDEX, seen.get(0).header("Accept").orElse(""));
    }

    @Test
    void withoutTheApiTheReferrersTagIsRead() throws Exception {
        String tag = "sha256-" + "5".repeat(64);
        assertEquals(tag, RegistryClient.referrersTag(SUBJECT));
        upstream.on("/v2/" + REPO + "/manifests/" + tag, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX,
                index(descriptor(SIG, SIG_TYPE), descriptor(SBOM, SBOM_TYPE)).getBytes(StandardCharsets.UTF_8)));
        // no route for /referrers/: the fake answers 404 NAME_UNKNOWN, as Distribution 2.8 does for a path it lacks

        Referrers sboms = client.listReferrers(upstream.anonymous(), REPO, SUBJECT, SBOM_TYPE);
        Referrers none = client.listReferrers(upstream.anonymous(), "team/other", SUBJECT, null);

        assertTrue(sboms.fromTagSchema());
        assertEquals(List.of(Digest.parse(SBOM)), sboms.manifests().stream().map(Descriptor::digest).toList());
        assertEquals(1, upstream.seen("/v2/" + REPO + "/referrers/" + SUBJECT).size());
        assertEquals(new Referrers(List.of(), true), none, "no API and no tag: nothing refers to it");
    }

    @Test
    void referrersThatAreNotAnIndexOrFailOtherwiseAreNotMistakenForNone() {
        upstream.on("/v2/" + REPO + "/referrers/" + SUBJECT, ex -> FakeUpstream.send(ex, 200, "text/html",
                "<html>login</html>".getBytes(StandardCharsets.UTF_8)));
        upstream.on("/v2/team/down/referrers/" + SUBJECT, ex -> FakeUpstream.error(ex, 500, "UNKNOWN", "boom"));
        upstream.on("/v2/team/bad/manifests/sha256-" + "5".repeat(64), ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_MANIFEST,
                "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8)));

        assertEquals(Reason.INVALID, assertThrows(RemoteFailure.class,
                () -> client.listReferrers(upstream.anonymous(), REPO, SUBJECT, null)).reason());
        assertEquals(Reason.SERVER_ERROR, assertThrows(RemoteFailure.class,
                () -> client.listReferrers(upstream.anonymous(), "team/down", SUBJECT, null)).reason());
        assertEquals(Reason.INVALID, assertThrows(RemoteFailure.class,
                () -> client.listReferrers(upstream.anonymous(), "team/bad", SUBJECT, null)).reason());
    }

    @Test
    void referrerPagesThatLoopAreCutOff() {
        String path = "/v2/" + REPO + "/referrers/" + SUBJECT;
        upstream.on(path, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, index(descriptor(SIG, SIG_TYPE))
                .getBytes(StandardCharsets.UTF_8), "Link", "<" + path + ">; rel=\"next\""));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.listReferrers(upstream.anonymous(), REPO, SUBJECT, null));

        assertEquals(Reason.INVALID, f.reason());
        assertEquals(1, upstream.seen(path).size());
    }

    // ------------------------------------------------------------------ tags

    /** Distribution's paging: n and last, the next page's link with both. */
    private void tagsOf(List<String> all) {
        upstream.on("/v2/" + REPO + "/tags/list", ex -> {
            int n = Integer.MAX_VALUE;
            String last = null;
            for (String p : ex.getRequestURI().getRawQuery().split("&")) {
                if (p.startsWith("n=")) {
                    n = Integer.parseInt(p.substring(2));
                } else if (p.startsWith("last=")) {
                    last = URLDecoder.decode(p.substring(5), StandardCharsets.UTF_8);
                }
            }
            String after = last;
            List<String> page = all.stream().filter(t -> after == null || t.compareTo(after) > 0).limit(n).toList();
            String json = "{\"name\":\"" + REPO + "\",\"tags\":[" + page.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","))
                    + "]}";
            boolean more = !page.isEmpty() && all.indexOf(page.get(page.size() - 1)) < all.size() - 1;
            if (more) {
                FakeUpstream.json(ex, 200, json, "Link", "</v2/" + REPO + "/tags/list?n=" + n + "&last="
                        + page.get(page.size() - 1) + ">; rel=\"next\"");
            } else {
                FakeUpstream.json(ex, 200, json);
            }
        });
    }

    @Test
    void tensOfThousandsOfTagsArePagedThroughWithoutLoadingThemAtOnce() throws Exception {
        List<String> all = IntStream.range(0, 25_000).mapToObj(i -> String.format("v%05d", i)).toList();
        tagsOf(all);

        TagCursor cursor = client.tags(upstream.anonymous(), REPO, 10_000);
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        while (cursor.hasNext()) {
            List<String> page = cursor.next();
            sizes.add(page.size());
            seen.addAll(page);
        }

        assertEquals(all, seen);
        assertEquals(List.of(10_000, 10_000, 5_000), sizes);
        List<FakeUpstream.Seen> requests = upstream.seen("/v2/" + REPO + "/tags/list");
        assertEquals(List.of("n=10000", "n=10000&last=v09999", "n=10000&last=v19999"), requests.stream().map(FakeUpstream.Seen::query).toList());
    }

    @Test
    void tagPagesThatDoNotAdvanceAreInvalid() throws Exception {
        upstream.on("/v2/" + REPO + "/tags/list", ex -> FakeUpstream.json(ex, 200, "{\"tags\":[\"a\",\"b\"]}",
                "Link", "</v2/" + REPO + "/tags/list?n=2&last=b>; rel=\"next\""));
        upstream.on("/v2/team/away/tags/list", ex -> FakeUpstream.json(ex, 200, "{\"tags\":[\"a\"]}",
                "Link", "<http://elsewhere.example/v2/team/away/tags/list?last=a>; rel=\"next\""));

        TagCursor cursor = client.tags(upstream.anonymous(), REPO, 2);
        assertEquals(List.of("a", "b"), cursor.next());
        RemoteFailure f = assertThrows(RemoteFailure.class, cursor::next);
        RemoteFailure away = assertThrows(RemoteFailure.class, () -> client.tags(upstream.anonymous(), "team/away", 2).next());

        assertEquals(Reason.INVALID, f.reason());
        assertTrue(f.getMessage().contains("do not advance"), f.getMessage());
        assertEquals(Reason.INVALID, away.reason());
    }
}
