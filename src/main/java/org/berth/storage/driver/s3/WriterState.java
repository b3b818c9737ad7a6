package org.berth.storage.driver.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a file being written holds in the bucket, kept in one object beside it ({@code <path>.writing})
 * so that any node can continue it: the multipart upload (once one is started), its parts in order,
 * and the tail, the bytes that do not fill a part yet. Encoded as a few text lines and then the
 * tail's bytes:
 *
 * <pre>
 * berth-writer 1
 * upload &lt;multipart upload id, or -&gt;
 * part &lt;number&gt; &lt;size&gt; &lt;etag&gt;      (one line per part)
 * tail &lt;bytes&gt;
 * &lt;the tail's bytes&gt;
 * </pre>
 */
record WriterState(String uploadId, List<Part> parts, byte[] tail) {

    record Part(int number, long size, String etag) {
    }

    private static final String MAGIC = "berth-writer 1";

    static WriterState empty() {
        return new WriterState(null, List.of(), new byte[0]);
    }

    long size() {
        return parts.stream().mapToLong(Part::size).sum() + tail.length;
    }

    byte[] encode() {
        StringBuilder header = new StringBuilder(MAGIC).append('\n');
        header.append("upload ").append(uploadId == null ? "-" : uploadId).append('\n');
        for (Part p : parts) {
            header.append("part ").append(p.number()).append(' ').append(p.size()).append(' ').append(p.etag()).append('\n');
        }
        header.append("tail ").append(tail.length).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + tail.length);
        out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(tail);
        return out.toByteArray();
    }

    static WriterState decode(byte[] bytes) throws IOException {
        int at = 0;
        String uploadId = null;
        List<Part> parts = new ArrayList<>();
        boolean first = true;
        while (at < bytes.length) {
            int end = indexOf(bytes, (byte) '\n', at);
            if (end < 0) {
                break;
            }
            String line = new String(bytes, at, end - at, StandardCharsets.UTF_8);
            at = end + 1;
            if (first) {
                if (!line.equals(MAGIC)) {
                    throw new IOException("not a writer state: " + line);
                }
                first = false;
                continue;
            }
            String[] f = line.split(" ");
            switch (f[0]) {
                case "upload" -> uploadId = f[1].equals("-") ? null : f[1];
                case "part" -> parts.add(new Part(Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3]));
                case "tail" -> {
                    int length = Integer.parseInt(f[1]);
                    if (bytes.length - at != length) {
                        throw new IOException("writer state cut short: tail of " + length + " bytes, " + (bytes.length - at) + " found");
                    }
                    return new WriterState(uploadId, List.copyOf(parts), Arrays.copyOfRange(bytes, at, bytes.length));
                }
                default -> throw new IOException("writer state: unknown line " + line);
            }
        }
        throw new IOException("writer state cut short");
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
