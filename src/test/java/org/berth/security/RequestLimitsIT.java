package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.berth.support.ServerLog;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 4: no request body that is not a blob upload is read past its cap: 1 MiB of JSON
 * under /api, 64 KiB of form under /service/token, 4 MiB of manifest. A body announced larger is
 * refused before a byte of it is read; a chunked body is refused once it passes the cap. The
 * refusal is the OCI error SIZE_INVALID with status 413. Nor can an anonymous peer fill the
 * server's log: a TLS ClientHello sent to the plain HTTP port leaves no stack trace there.
 */
class RequestLimitsIT extends ITBase {

    private static final long THREE_HUNDRED_MEGABYTES = 300L * 1024 * 1024;

    /**
     * A ClientHello of docker's (Go's crypto/tls, captured), with its random bytes set so that
     * Grizzly reads a request line of three parts ending in the cipher suite 0xc00a's line feed:
     * a space in the session id and no line feed before. About one docker connection in six is
     * like it by chance.
     */
    private static final byte[] DOCKER_CLIENT_HELLO = HexFormat.of().parseHex(
            "16030100da010000d60303b933841b9c411726529a96a21a73334b9dc933074717c2aa27107a3abb02644520160f716d"
            + "97f220fe05c20c406f41c3195ae9939c2eb02e06e05ecc4ebc9de73f0016c02bc02fc02cc030c009c013c00ac0141301"
            + "1302130301000077000500050100000000000a000a0008001d001700180019000b00020100000d001a00180804040308"
            + "07080508060401050106010503060302010203ff0100010000120000002b00050403040303003300260024001d0020be"
            + "87a61c4228ee273f3f8ef59aed2b54fbdcb86f6ab7cec18a022b0a1dfabf57");

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

    /**
     * docker tries TLS first on a registry it may reach over plain HTTP; so can anyone, as often as
     * they like. Grizzly failed to answer such a ClientHello and logged a WARNING with a stack trace
     * per connection; none reaches the log now, and the listener goes on answering.
     */
    @Test
    void tlsClientHellosOnThePlainPortLeaveNoStackTraceInTheLog() throws Exception {
        try (ServerLog log = ServerLog.capture()) {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket(base().getHost(), base().getPort())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(DOCKER_CLIENT_HELLO);
                    socket.getOutputStream().flush();
                    socket.getInputStream().readAllBytes(); // the server closes the connection
                }
            }
            assertEquals(401, new RegistryClient(base()).request("GET", "/v2/").send().status());
            String text = log.text();
            assertFalse(text.contains("GRIZZLY0013") || text.contains("Unknown protocol"), text);
        }
    }
}
