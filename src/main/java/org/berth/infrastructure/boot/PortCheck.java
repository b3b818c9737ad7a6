package org.berth.infrastructure.boot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

/**
 * Binds the ports Payara Micro's listeners will take, the way Grizzly will (the wildcard address,
 * {@code SO_REUSEADDR}), before Payara does, and lets them go again.
 *
 * <p>Why before: a port in use fails Payara Micro's boot ({@code BindException}, "Failed to start,
 * exiting") after the runtime has started its threads, and the JVM then keeps running with no
 * listener and no application, so a supervisor never sees the failure. Checked first, it is one
 * line naming the option, and the process exits. With {@code --autobindhttp} or
 * {@code --autobindssl} Payara looks for a free port itself, and that port is not checked.
 */
final class PortCheck {

    /** Payara Micro's HTTP port when {@code --port} is not given. */
    static final int PAYARA_DEFAULT_HTTP_PORT = 8080;

    private PortCheck() {
    }

    /**
     * The first port of {@code --port} (or Payara's default) and {@code --sslport} that cannot be
     * bound, as the rest of a {@code Berth cannot start: } line; empty when all can. A value that
     * is not a port number is left to Payara, which reports it.
     */
    static Optional<String> problem(String[] args) {
        if (!BerthMicro.flag(args, "--autobindhttp")) {
            Optional<String> http = inUse("--port", BerthMicro.option(args, "--port").orElse(String.valueOf(PAYARA_DEFAULT_HTTP_PORT)));
            if (http.isPresent()) {
                return http;
            }
        }
        if (!BerthMicro.flag(args, "--autobindssl")) {
            Optional<String> ssl = BerthMicro.option(args, "--sslport");
            if (ssl.isPresent()) {
                return inUse("--sslport", ssl.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> inUse(String option, String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(port));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(option + " " + port + " cannot be listened on: " + e.getMessage()
                    + " (another server has it; stop that one or choose another port)");
        }
    }
}
