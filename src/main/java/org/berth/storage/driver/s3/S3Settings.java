package org.berth.storage.driver.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the S3 driver keeps its bytes ({@code BERTH_S3_*}; credentials come from the usual AWS
 * variables or system properties, never from here).
 *
 * @param endpoint  an S3-compatible server (MinIO, Ceph, S3Proxy), or empty for AWS itself
 * @param bucket    the bucket; it must exist
 * @param region    the signing region ({@code us-east-1} when the server does not care)
 * @param pathStyle address the bucket as {@code endpoint/bucket/key} rather than {@code bucket.endpoint/key}
 * @param redirect  answer a blob GET with a redirect to a presigned URL, valid this long; empty: stream it
 * @param partSize  bytes per multipart part (at least 5 MiB, the S3 minimum for all but the last part)
 */
public record S3Settings(Optional<URI> endpoint, String bucket, String region, boolean pathStyle,
                         Optional<Duration> redirect, int partSize) {

    /** The smallest part S3 takes, except for the last part of an upload. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    /** Parts of 10 MiB, as Distribution's {@code chunksize}: up to 100 GB per blob in 10,000 parts. */
    public static final int DEFAULT_PART_SIZE = 10 * 1024 * 1024;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("BERTH_S3_BUCKET must name a bucket");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("an S3 part holds at least " + MIN_PART_SIZE + " bytes, not " + partSize);
        }
    }
}
