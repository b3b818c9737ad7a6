package org.berth.infrastructure.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.storage.driver.s3.S3Settings;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Berth's settings, read once through MicroProfile Config (environment variables such as
 * {@code BERTH_DATA_ROOT} override {@code META-INF/microprofile-config.properties}).
 */
@ApplicationScoped
public class BerthConfig {

    @Inject
    @ConfigProperty(name = "berth.data.root", defaultValue = "./data")
    String dataRoot;

    @Inject
    @ConfigProperty(name = "berth.external.url")
    Optional<String> externalUrl;

    @Inject
    @ConfigProperty(name = "berth.anonymous.push", defaultValue = "false")
    boolean anonymousPush;

    @Inject
    @ConfigProperty(name = "berth.send-timeout", defaultValue = "60")
    long sendTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "berth.trusted-proxies")
    Optional<String> trustedProxies;

    @Inject
    @ConfigProperty(name = "berth.max-upload-sessions", defaultValue = "100")
    int maxUploadSessions;

    @Inject
    @ConfigProperty(name = "berth.secret.key")
    Optional<String> secretKey;

    @Inject
    @ConfigProperty(name = "berth.storage", defaultValue = "filesystem")
    String storage;

    @Inject
    @ConfigProperty(name = "berth.s3.endpoint")
    Optional<String> s3Endpoint;

    @Inject
    @ConfigProperty(name = "berth.s3.bucket")
    Optional<String> s3Bucket;

    @Inject
    @ConfigProperty(name = "berth.s3.region", defaultValue = "us-east-1")
    String s3Region;

    @Inject
    @ConfigProperty(name = "berth.s3.path-style", defaultValue = "false")
    boolean s3PathStyle;

    @Inject
    @ConfigProperty(name = "berth.s3.redirect", defaultValue = "0")
    long s3RedirectSeconds;

    /**
     * Addresses of the reverse proxies whose {@code X-Forwarded-For} names the client (comma
     * separated, exact addresses as the server sees the peer, e.g. {@code 127.0.0.1,::1}).
     */
    public Set<String> trustedProxies() {
        return trustedProxies.map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(a -> !a.isEmpty())
                .collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    }

    /** Root folder of blobs, uploads and the embedded database. */
    public Path dataRoot() {
        return Path.of(dataRoot).toAbsolutePath().normalize();
    }

    /**
     * {@code BERTH_SECRET_KEY}: what Berth's secret key is made from (see
     * {@code org.berth.infrastructure.secrets.SecretKeys}); empty when not set.
     */
    public Optional<String> secretKey() {
        return secretKey.map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Where the secret key is kept when {@code BERTH_SECRET_KEY} is not set. */
    public Path secretKeyFile() {
        return dataRoot().resolve("keys").resolve("secret.key");
    }

    /** The public base URL without a trailing slash, when configured. */
    public Optional<String> externalUrl() {
        return externalUrl.map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /**
     * How long a client may take no byte of a blob that is being sent before its connection is
     * closed (like nginx's {@code send_timeout}); at least one second.
     */
    public Duration sendTimeout() {
        return Duration.ofSeconds(Math.max(1, sendTimeoutSeconds));
    }

    /**
     * The most blob upload sessions one account (or one anonymous client address) may hold open at
     * once; 0 or less: no limit.
     */
    public int maxUploadSessions() {
        return maxUploadSessions;
    }

    /**
     * Where blobs and upload sessions live ({@code BERTH_STORAGE}): {@code filesystem} (the data
     * root, the default) or {@code s3} (a bucket; the data root keeps the embedded database only).
     */
    public boolean s3Storage() {
        String kind = storage.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("s3") && !kind.equals("filesystem")) {
            throw new IllegalArgumentException("BERTH_STORAGE must be filesystem or s3, not " + storage);
        }
        return kind.equals("s3");
    }

    /**
     * The bucket of {@code BERTH_STORAGE=s3}: {@code BERTH_S3_ENDPOINT} (empty for AWS),
     * {@code BERTH_S3_BUCKET}, {@code BERTH_S3_REGION}, {@code BERTH_S3_PATH_STYLE}, and
     * {@code BERTH_S3_REDIRECT}, the seconds a presigned blob URL is valid (0, the default: blobs
     * are streamed through Berth).
     */
    public S3Settings s3Settings() {
        return new S3Settings(s3Endpoint.map(String::trim).filter(e -> !e.isEmpty()).map(URI::create),
                s3Bucket.map(String::trim).orElse(""), s3Region.trim(), s3PathStyle,
                s3RedirectSeconds > 0 ? Optional.of(Duration.ofSeconds(s3RedirectSeconds)) : Optional.empty(),
                S3Settings.DEFAULT_PART_SIZE);
    }

    /** Whether anonymous clients may push and delete, as on a plain Distribution registry (default: no). */
    public boolean anonymousPush() {
        return anonymousPush;
    }
}
