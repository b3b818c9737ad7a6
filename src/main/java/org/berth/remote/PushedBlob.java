package org.berth.remote;

/**
 * What a blob push did, for an execution's record.
 *
 * @param digest    the blob's digest, as the registry confirmed it
 * @param size      its size
 * @param bytesSent bytes handed to the connection in all, resent ones included
 * @param chunked   true when it went in chunks (PATCH), false for one PUT
 * @param resumes   how often it continued after a failure (from the committed offset or from the start)
 */
public record PushedBlob(String digest, long size, long bytesSent, boolean chunked, int resumes) {
}
