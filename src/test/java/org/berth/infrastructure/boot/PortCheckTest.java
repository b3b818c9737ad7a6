package org.berth.infrastructure.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PortCheckTest {

    /** A listener on a loopback port the kernel chose, as another server would hold it. */
    private static ServerSocket held() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static String free() throws IOException {
        try (ServerSocket s = held()) {
            return String.valueOf(s.getLocalPort());
        }
    }

    @Test
    void aPortAnotherServerListensOnIsNamedWithItsOption() throws IOException {
        try (ServerSocket other = held()) {
            String port = String.valueOf(other.getLocalPort());
            Optional<String> problem = PortCheck.problem(new String[] {"--deploy", "ROOT.war", "--port", port});
            assertTrue(problem.orElseThrow().startsWith("--port " + port + " cannot be listened on: "), problem.get());

            problem = PortCheck.problem(new String[] {"--port", free(), "--sslport=" + port});
            assertTrue(problem.orElseThrow().startsWith("--sslport " + port + " cannot be listened on: "), problem.get());
        }
    }

    @Test
    void freePortsPassAndStayFree() throws IOException {
        String http = free();
        String https = free();
        assertEquals(Optional.empty(), PortCheck.problem(new String[] {"--port", http, "--sslport", https}));
        // let go again: Payara binds them next
        assertEquals(Optional.empty(), PortCheck.problem(new String[] {"--port", http, "--sslport", https}));
    }

    @Test
    void autoBindingAndValuesPayaraRejectsItselfAreNotChecked() throws IOException {
        try (ServerSocket other = held()) {
            String port = String.valueOf(other.getLocalPort());
            assertEquals(Optional.empty(), PortCheck.problem(new String[] {"--port", port, "--autoBindHttp"}));
            assertEquals(Optional.empty(), PortCheck.problem(new String[] {"--port", free(), "--sslport", port, "--AUTOBINDSSL"}));
            assertEquals(Optional.empty(), PortCheck.problem(new String[] {"--port", "http"}));
        }
    }
}
