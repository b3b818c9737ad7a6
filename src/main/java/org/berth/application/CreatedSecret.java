package org.berth.application;

/**
 * Something just created together with its secret, which exists in clear only in this response:
 * Berth stores a hash of it.
 *
 * @param created the robot account or personal access token
 * @param secret  the robot's secret or the whole token string
 */
public record CreatedSecret<T>(T created, String secret) {

    @Override
    public String toString() {
        return "CreatedSecret[" + created + ", secret=***]"; // never log the secret
    }
}
