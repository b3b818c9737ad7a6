package org.berth.storage.driver.s3;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Server-side copies inside one bucket: one CopyObject up to 5 GiB (its limit), a multipart copy
 * of 1 GiB ranges above. Either way the target appears whole when the copy completes.
 */
final class S3Copier {

    static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
    static final long COPY_PART = 1024L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;

    S3Copier(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    void copy(String from, String to, long size) {
        if (size <= SINGLE_COPY_LIMIT) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
            return;
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(to)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long start = 0; start < size; start += COPY_PART) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(size, start + COPY_PART) - 1);
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                        .destinationKey(to).uploadId(uploadId).partNumber(number).copySourceRange(range)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId));
            throw e;
        }
    }
}
