import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay on loopback for e2e/99-cluster.sh: {@code java TcpRelay.java LISTEN_PORT TARGET_HOST
 * TARGET_PORT} passes every connection to LISTEN_PORT on to the target, byte for byte. Stopping the
 * relay with SIGSTOP makes the target a database that stops answering without an error (as behind
 * a network partition), which a health check must notice by its own time limit; SIGCONT resumes it.
 */
public final class TcpRelay {

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java TcpRelay.java LISTEN_PORT TARGET_HOST TARGET_PORT");
            System.exit(2);
        }
        int listenPort = Integer.parseInt(args[0]);
        InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        try (ServerSocket server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("relaying 127.0.0.1:" + listenPort + " to " + target);
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            }
        }
    }

    /** Copies from one socket to the other until either closes, then closes both. */
    private static void pipe(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side went away: the finally closes the other
            } finally {
                close(from);
                close(to);
            }
        });
        copier.setDaemon(true);
        copier.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
