package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.berth.ITBase;
import org.junit.jupiter.api.Test;

/** Issue 14 item 7: made-up methods and routes do not each get a metric series. */
class MetricLabelsIT extends ITBase {

    @Test
    void madeUpMethodsAndRoutesCollapseIntoOneLabelValue() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String tag = "XM" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
        String path = "nowhere-" + UUID.randomUUID();
        for (int i = 0; i < 20; i++) {
            http.send(HttpRequest.newBuilder(base().resolve("v2/")).method(tag + i, HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(base().resolve(path + "/" + i)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        String metrics = http.send(HttpRequest.newBuilder(base().resolve("metrics")).header("Accept", "text/plain").GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(metrics.contains(tag), "a made-up method became a label value");
        assertFalse(metrics.contains(path), "a made-up path became a label value");
        assertTrue(metrics.contains("method=\"other\""), "made-up methods are not counted as \"other\"");
    }
}
