package org.berth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.berth.storage.driver.s3.S3Settings;
import org.junit.jupiter.api.Test;

/** {@code BERTH_STORAGE} and {@code BERTH_S3_*} as {@link BerthConfig} reads them. */
class StorageSettingsTest {

    private static BerthConfig config(String storage) {
        BerthConfig c = new BerthConfig();
        c.storage = storage;
        c.s3Endpoint = Optional.empty();
        c.s3Bucket = Optional.empty();
        c.s3Region = "us-east-1";
        return c;
    }

    @Test
    void theFilesystemIsTheDefaultAndS3IsChosenByName() {
        assertFalse(config("filesystem").s3Storage());
        assertTrue(config(" S3 ").s3Storage());
        assertThrows(IllegalArgumentException.class, () -> config("nfs").s3Storage());
    }

    @Test
    void s3SettingsComeFromTheBerthS3Variables() {
        BerthConfig c = config("s3");
        c.s3Endpoint = Optional.of(" http://127.0.0.1:9000 ");
        c.s3Bucket = Optional.of("registry");
        c.s3Region = "eu-west-1";
        c.s3PathStyle = true;
        c.s3RedirectSeconds = 600;
        S3Settings s3 = c.s3Settings();
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), s3.endpoint());
        assertEquals("registry", s3.bucket());
        assertEquals("eu-west-1", s3.region());
        assertTrue(s3.pathStyle());
        assertEquals(Optional.of(Duration.ofMinutes(10)), s3.redirect());
        assertEquals(S3Settings.DEFAULT_PART_SIZE, s3.partSize());
    }

    @Test
    void noRedirectUnlessAskedAndNoS3WithoutABucket() {
        BerthConfig c = config("s3");
        c.s3Bucket = Optional.of("registry");
        assertEquals(Optional.empty(), c.s3Settings().redirect());
        assertEquals(Optional.empty(), c.s3Settings().endpoint(), "AWS itself");
        c.s3Bucket = Optional.empty();
        assertThrows(IllegalArgumentException.class, c::s3Settings);
    }
}
