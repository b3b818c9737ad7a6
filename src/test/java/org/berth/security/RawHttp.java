package org.berth.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not do: announce a body far
 * larger than is ever sent, or stop sending a chunked body when the server answers. Loopback only.
 */
final class RawHttp {

    /** The status, the response head as received, and the body read so far. */
    record Reply(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /**
     * Sends the request head with {@code Content-Length: announced}, then only {@code sent} bytes of
     * body, and reads the answer: a server that waits for the announced body times out instead.
     */
    static Reply announceButSendLittle(URI base, String method, String path, String contentType, String authorization,
                                       long announced, int sent) throws IOException {
        try (Socket socket = connect(base)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(base, method, path, contentType, authorization, "Content-Length: " + announced));
            out.write(filler(sent));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends {@code prefix} then filler bytes up to {@code total} as a chunked body of 64 KiB chunks,
     * stopping when the server stops taking them, and reads the answer.
     */
    static Reply chunked(URI base, String method, String path, String contentType, String authorization,
                         byte[] prefix, long total) throws IOException {
        try (Socket socket = connect(base)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(base, method, path, contentType, authorization, "Transfer-Encoding: chunked"));
            try {
                writeChunk(out, prefix);
                byte[] chunk = filler(64 * 1024);
                for (long written = prefix.length; written < total; written += chunk.length) {
                    writeChunk(out, chunk);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server answered and closed before taking everything: read that answer
            }
            return read(socket.getInputStream());
        }
    }

    private static Socket connect(URI base) throws IOException {
        Socket socket = new Socket("localhost", base.getPort());
        socket.setSoTimeout(15_000);
        return socket;
    }

    private static byte[] head(URI base, String method, String path, String contentType, String authorization,
                               String framing) {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost:").append(base.getPort()).append("\r\n")
                .append(framing).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void writeChunk(OutputStream out, byte[] chunk) throws IOException {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] filler(int length) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    /** The response head and whatever body arrives within the timeout (at most 64 KiB). */
    private static Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int end = -1;
        try {
            while (end < 0) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
                end = received.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 15 s: the server is waiting for the body ("
                    + received.size() + " bytes of response so far)", e);
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        if (end < 0) {
            throw new AssertionError("the connection closed without a response head: " + text);
        }
        String headers = text.substring(0, end);
        String statusLine = headers.lines().findFirst().orElse("");
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(received.toByteArray(), end + 4, received.size() - end - 4);
        String length = new Reply(status, headers, "").header("Content-Length");
        if (length != null) {
            int want = Math.min(Integer.parseInt(length), 64 * 1024);
            try {
                while (body.size() < want) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    body.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // keep what came
            }
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }
}
