package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.berth.ITBase;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 4: /health watches the background flush (audit entries, pull counts). Its DOWN
 * decision is FlushLivenessTest's; here the deployed check is in /health and sees recent runs.
 */
class BackgroundFlushHealthIT extends ITBase {

    @Test
    void healthReportsTheBackgroundFlushWithARecentRun() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base().resolve("health"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonObject health = Json.createReader(new StringReader(r.body())).readObject();
        JsonObject check = health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("background-flush")).findFirst()
                .orElseThrow(() -> new AssertionError("no background-flush check in " + r.body()));
        assertEquals("UP", check.getString("status"), r.body());
        Instant lastRun = Instant.parse(check.getJsonObject("data").getString("last_run"));
        assertTrue(Duration.between(lastRun, Instant.now()).abs().compareTo(Duration.ofSeconds(10)) < 0, r.body());
    }
}
