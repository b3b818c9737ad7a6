package org.berth.infrastructure.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.berth.storage.ZeroCopySink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where sendfile must not be tried, the sink declines before it touches the response. (That it
 * sends whole bodies and ranges on Payara is RegistryApiIT's part.)
 */
class GrizzlySendfileTest {

    @TempDir
    Path dir;

    /** A servlet object answering the named methods and throwing on anything else. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (answers.containsKey(method.getName())) {
                return answers.get(method.getName());
            }
            throw new AssertionError("unexpected call " + method.getName());
        });
    }

    @Test
    void http2IsNeverSentByFileTransfer() {
        HttpServletRequest h2 = stub(HttpServletRequest.class, Map.of("getProtocol", "HTTP/2.0"));
        assertSame(ZeroCopySink.NONE, GrizzlySendfile.of(h2, stub(HttpServletResponse.class, Map.of()), Duration.ofSeconds(60)));
    }

    @Test
    void smallBodiesAndResponsesOfOtherServersAreCopied() throws IOException {
        Path file = Files.write(dir.resolve("blob"), new byte[1024]);
        HttpServletRequest request = stub(HttpServletRequest.class, Map.of("getProtocol", "HTTP/1.1"));
        // Not Payara's response facade: the whole body is to be copied (and the reason is logged once).
        ZeroCopySink sink = GrizzlySendfile.of(request, stub(HttpServletResponse.class, Map.of()), Duration.ofSeconds(60));
        assertEquals(GrizzlySendfile.MIN_LENGTH - 1, sink.copiedHead(GrizzlySendfile.MIN_LENGTH - 1));
        assertEquals(GrizzlySendfile.MIN_LENGTH, sink.copiedHead(GrizzlySendfile.MIN_LENGTH));
        assertEquals(5 * GrizzlySendfile.MIN_LENGTH, sink.copiedHead(5 * GrizzlySendfile.MIN_LENGTH));
        // and a transfer asked for anyway is declined without touching the response
        assertFalse(sink.transfer(file, 0, GrizzlySendfile.MIN_LENGTH));
    }
}
