package org.berth.storage;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.berth.domain.Digest;

/**
 * Where bytes land. The whole layout, under the data root ({@code berth.data.root}) or, with
 * {@code BERTH_STORAGE=s3}, at the top of the bucket (the same paths as object keys; see
 * {@link org.berth.storage.driver} for what each driver guarantees):
 *
 * <pre>
 * &lt;root&gt;/
 *   blobs/&lt;algorithm&gt;/&lt;hex[0..2]&gt;/&lt;hex&gt;   committed content, one immutable file per digest,
 *                                       shared by every repository linking it (layers, configs,
 *                                       manifests). Only ever made by an atomic rename (a server-side
 *                                       copy on S3) of a verified, fsync'd file: a path here is always
 *                                       complete, and a crash leaves the old state or the new.
 *                                       Each has a stored_blob row in the database, taken (locked)
 *                                       before the file is made or removed; a file without one (a
 *                                       crash between the write and the commit) is an orphan that
 *                                       garbage collection removes once older than its grace period.
 *   uploads/&lt;uuid&gt;/data                 bytes of an upload session received so far (append only;
 *                                       its time is the session's last write: garbage collection
 *                                       removes sessions idle for BERTH_UPLOAD_EXPIRY). On S3 it is a
 *                                       multipart upload until committed, described by
 *                                       uploads/&lt;uuid&gt;/data.writing (its parts, and the tail of
 *                                       bytes under one part, in the bucket so any node can continue)
 *   uploads/&lt;uuid&gt;/repository           the repository the session belongs to (survives restarts)
 *   uploads/&lt;uuid&gt;/owner                who opened it (account, robot login, or anonymous/address):
 *                                       open sessions per owner are limited, counted again at start
 *   uploads/&lt;uuid&gt;/hashstates/sha256/&lt;offset&gt;
 *                                       the running SHA-256 after &lt;offset&gt; bytes (Bouncy Castle's
 *                                       encoded state), written by the driver stores before the chunk
 *                                       is closed, so that another node resumes without the bytes
 *                                       (which S3 cannot read back before the upload completes)
 *   tmp/                                scratch files for small writes, renamed into blobs/ (one
 *                                       left by a crash is removed by garbage collection)
 *   db/                                 the embedded H2 database, when that is the metadata store
 *                                       (always on the local data root)
 * </pre>
 *
 * Digests and upload ids are validated before they get here, so no path can leave the root.
 */
public final class StoragePaths {

    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Path root;

    public StoragePaths(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path blobs() {
        return root.resolve("blobs");
    }

    public Path blob(Digest digest) {
        return root.resolve(blobPath(digest));
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    /** The folder of an upload session; the id must be a canonical lower-case UUID. */
    public Path upload(String uploadId) {
        return root.resolve(uploadPath(uploadId));
    }

    public Path uploadData(String uploadId) {
        return upload(uploadId).resolve("data");
    }

    public Path uploadRepository(String uploadId) {
        return upload(uploadId).resolve("repository");
    }

    public Path uploadOwner(String uploadId) {
        return upload(uploadId).resolve("owner");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    /** {@code blobs/<algorithm>/<hex[0..2]>/<hex>}, relative: a driver's path. */
    public static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm().prefix() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex();
    }

    /** The digest a relative path under {@code blobs/} names, or null when it names none. */
    public static Digest digestNamedBy(String path) {
        String[] parts = path.split("/");
        if (parts.length != 4 || !parts[0].equals("blobs")) {
            return null;
        }
        try {
            Digest digest = Digest.parse(parts[1] + ":" + parts[3]);
            return blobPath(digest).equals(path) ? digest : null;
        } catch (RuntimeException e) {
            return null; // not a digest: no row can name it
        }
    }

    /** {@code uploads/<uuid>}, relative; the id must be a canonical lower-case UUID. */
    public static String uploadPath(String uploadId) {
        if (!isUploadId(uploadId)) {
            throw new IllegalArgumentException("not an upload id: " + uploadId);
        }
        return "uploads/" + uploadId;
    }

    public static String uploadDataPath(String uploadId) {
        return uploadPath(uploadId) + "/data";
    }

    public static String uploadRepositoryPath(String uploadId) {
        return uploadPath(uploadId) + "/repository";
    }

    public static String uploadOwnerPath(String uploadId) {
        return uploadPath(uploadId) + "/owner";
    }

    /** Where the running SHA-256 of a session is saved after {@code offset} bytes. */
    public static String uploadHashStatePath(String uploadId, long offset) {
        return uploadPath(uploadId) + "/hashstates/sha256/" + offset;
    }

    public static boolean isUploadId(String value) {
        return value != null && UPLOAD_ID.matcher(value).matches();
    }
}
