package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.berth.ITBase;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 4: no request body that is not a blob upload is read past its cap: 1 MiB of JSON
 * under /api, 64 KiB of form under /service/token, 4 MiB of manifest. A body announced larger is
 * refused before a byte of it is read; a chunked body is refused once it passes the cap. The
 * refusal is the OCI error SIZE_INVALID with status 413.
 */
class RequestLimitsIT extends ITBase {

    private static final long THREE_HUNDRED_MEGABYTES = 300L * 1024 * 1024;

    private static String adminBasic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefusedAsTooLarge(RawHttp.Reply reply) {
        assertEquals(413, reply.status(), reply.headers() + "\n" + reply.body());
        assertTrue(reply.body().contains("\"code\":\"SIZE_INVALID\""), reply.body());
    }

    @Test
    void anonymousThreeHundredMegabyteJsonBodyIsRefusedWith413BeforeBeingRead() throws IOException {
        // 64 KiB of the announced 300 MB are sent: an answer proves the rest was never waited for.
        RawHttp.Reply reply = RawHttp.announceButSendLittle(base(), "PATCH", "/api/v1/projects/library",
                "application/json", null, THREE_HUNDRED_MEGABYTES, 64 * 1024);
        assertRefusedAsTooLarge(reply);
    }

    @Test
    void anonymousThreeHundredMegabyteTokenFormIsRefusedWith413BeforeBeingRead() throws IOException {
        RawHttp.Reply reply = RawHttp.announceButSendLittle(base(), "POST", "/service/token",
                "application/x-www-form-urlencoded", null, THREE_HUNDRED_MEGABYTES, 64 * 1024);
        assertRefusedAsTooLarge(reply);
    }

    @Test
    void chunkedJsonBodyOfTwoMegabytesIsRefusedWith413EvenFromTheAdministrator() throws IOException {
        byte[] prefix = "{\"name\":\"".getBytes(StandardCharsets.UTF_8);
        RawHttp.Reply reply = RawHttp.chunked(base(), "POST", "/api/v1/projects", "application/json", adminBasic(),
                prefix, 2L * 1024 * 1024);
        assertRefusedAsTooLarge(reply);
    }

    @Test
    void chunkedTokenFormOverSixtyFourKibibytesIsRefusedWith413() throws IOException {
        byte[] prefix = "grant_type=password&username=admin&password=".getBytes(StandardCharsets.UTF_8);
        RawHttp.Reply reply = RawHttp.chunked(base(), "POST", "/service/token", "application/x-www-form-urlencoded",
                null, prefix, 100 * 1024);
        assertRefusedAsTooLarge(reply);
    }

    @Test
    void tokenFormUnderTheCapStillIssuesATokenForPodmanAndContainerd() throws IOException {
        byte[] form = ("grant_type=password&username=admin&password=" + ADMIN_PASSWORD
                + "&scope=repository:library/limits:pull&service=berth").getBytes(StandardCharsets.UTF_8);
        RawHttp.Reply reply = RawHttp.chunked(base(), "POST", "/service/token", "application/x-www-form-urlencoded",
                null, form, form.length);
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"token\""), reply.body());
    }

    @Test
    void chunkedManifestOverFourMebibytesIsRefusedWith413() throws IOException {
        String repository = uniqueRepository("library/limits");
        byte[] prefix = "{\"schemaVersion\":2,\"annotations\":{\"a\":\"".getBytes(StandardCharsets.UTF_8);
        RawHttp.Reply reply = RawHttp.chunked(base(), "PUT", "/v2/" + repository + "/manifests/v1",
                "application/vnd.oci.image.manifest.v1+json", adminBasic(), prefix, 5L * 1024 * 1024);
        assertRefusedAsTooLarge(reply);
    }

    @Test
    void anonymousRefusalStillCarriesTheChallenge() throws IOException {
        RawHttp.Reply reply = RawHttp.announceButSendLittle(base(), "PATCH", "/api/v1/projects/library",
                "application/json", null, 2, 2);
        assertEquals(401, reply.status(), reply.body());
        assertNotNull(reply.header("WWW-Authenticate"), reply.headers());
    }
}
