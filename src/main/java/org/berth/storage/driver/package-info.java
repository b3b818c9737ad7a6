/**
 * The storage driver level: {@link org.berth.storage.driver.StorageDriver}, a few byte operations on
 * named files, with one implementation per kind of storage ({@link org.berth.storage.driver.FilesystemDriver},
 * {@link org.berth.storage.driver.s3.S3Driver}); both pass {@code StorageDriverContract}, and the
 * blob store and upload sessions above ({@code DriverBlobStore}, {@code DriverUploadStore}) pass
 * {@code BlobStoreContract} and {@code UploadStoreContract} on each.
 *
 * <h2>What every driver guarantees, and what the stores above build from it</h2>
 * <ul>
 *   <li><b>Atomic visibility.</b> {@code putContent} and {@code move} make a file appear whole or
 *       not at all; after a crash the old state or the new one is there, never part of a file. The
 *       filesystem driver writes to {@code tmp/}, syncs, renames atomically and syncs the directory;
 *       S3 makes an object visible only when its PUT, copy or multipart completion succeeds.</li>
 *   <li><b>Verified before visible.</b> Nothing above writes under {@code blobs/} directly: an upload's
 *       bytes are hashed as they are written, checked against the digest the client names, and only
 *       then moved to {@code blobs/<algorithm>/<hex[0..2]>/<hex>}. A wrong digest never reaches
 *       {@code blobs/}; the layout is the one {@link org.berth.storage.StoragePaths} documents, the
 *       same on a filesystem and in a bucket.</li>
 *   <li><b>Resumable writers, on any node.</b> A {@link org.berth.storage.driver.FileWriter} closed
 *       after a chunk can be continued by {@code writer(path, true)} on another driver instance over
 *       the same storage. The filesystem driver appends to the file (the shared-filesystem mode mounts
 *       the same data root on every node). The S3 driver keeps a multipart upload: each part is at
 *       least 5 MiB, and the bytes that do not fill a part yet (the tail) live in the bucket, in one
 *       small object beside the file ({@code <path>.writing}) that also names the multipart upload
 *       and its parts; one PUT replaces it, so the parts list, the tail and the size change together.
 *       A node that dies mid-chunk leaves the state of the chunk before.</li>
 * </ul>
 */
package org.berth.storage.driver;
