package org.berth.storage;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.berth.domain.Digest;

/**
 * Where bytes land. The whole on-disk layout, under the data root ({@code berth.data.root}):
 *
 * <pre>
 * &lt;root&gt;/
 *   blobs/&lt;algorithm&gt;/&lt;hex[0..2]&gt;/&lt;hex&gt;   committed content, one immutable file per digest,
 *                                       shared by every repository linking it (layers, configs,
 *                                       manifests). Only ever created by an atomic rename of a
 *                                       verified, fsync'd file: a path here is always complete.
 *                                       Each has a stored_blob row in the database, taken (locked)
 *                                       before the file is made or removed; a file without one (a
 *                                       crash between the write and the commit) is an orphan that
 *                                       garbage collection removes once older than its grace period.
 *   uploads/&lt;uuid&gt;/data                 bytes of an upload session received so far (append only;
 *                                       its time is the session's last write: garbage collection
 *                                       removes sessions idle for BERTH_UPLOAD_EXPIRY)
 *   uploads/&lt;uuid&gt;/repository           the repository the session belongs to (survives restarts)
 *   uploads/&lt;uuid&gt;/owner                who opened it (account, robot login, or anonymous/address):
 *                                       open sessions per owner are limited, counted again at start
 *   tmp/                                scratch files for small writes, renamed into blobs/ (one
 *                                       left by a crash is removed by garbage collection)
 *   db/                                 the embedded H2 database, when that is the metadata store
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
        return blobs().resolve(digest.algorithm().prefix()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    /** The folder of an upload session; the id must be a canonical lower-case UUID. */
    public Path upload(String uploadId) {
        if (!isUploadId(uploadId)) {
            throw new IllegalArgumentException("not an upload id: " + uploadId);
        }
        return uploads().resolve(uploadId);
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

    public static boolean isUploadId(String value) {
        return value != null && UPLOAD_ID.matcher(value).matches();
    }
}
