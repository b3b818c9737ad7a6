package org.berth.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the server under test prints while a test runs. The Payara Micro that Arquillian starts
 * writes its log to its console; the adapter ({@code OutputLoggingConsumer}) relays each line with
 * {@code System.out.println}, reading {@code System.out} anew every time, so a tee put on
 * {@code System.out} here sees the server's log lines (and still passes them on).
 */
public final class ServerLog implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private ServerLog() {
        original = System.out;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing; {@link #close} stops. */
    public static ServerLog capture() {
        return new ServerLog();
    }

    /**
     * Everything printed since {@link #capture}, once the output has been quiet for half a second
     * (at most three seconds): the server logs asynchronously and the adapter relays with a delay.
     */
    public String text() {
        long deadline = System.nanoTime() + 3_000_000_000L;
        int size = -1;
        while (System.nanoTime() < deadline) {
            int now;
            synchronized (captured) {
                now = captured.size();
            }
            if (now == size) {
                break;
            }
            size = now;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
