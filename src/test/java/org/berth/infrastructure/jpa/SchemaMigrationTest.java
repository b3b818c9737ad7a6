package org.berth.infrastructure.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class SchemaMigrationTest {

    @Test
    void theShippedVersionsAreTheMigrationFilesOfTheBuild() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(Path.of("src/main/resources/db/migration"))) {
            list.forEach(p -> files.add(p.getFileName().toString().replaceFirst("^V([0-9._]+)__.*$", "$1")));
        }
        assertEquals(files, SchemaMigration.shippedVersions().orElseThrow());
        assertTrue(files.contains("1"));
    }

    @Test
    void versionsCompareAsNumbersPartByPart() {
        assertTrue(SchemaMigration.compareVersions("10", "9") > 0);
        assertTrue(SchemaMigration.compareVersions("6", "6.1") < 0);
        assertEquals(0, SchemaMigration.compareVersions("6.0", "6"));
    }
}
