package org.berth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward (STYLE.md habits 2 and 5), checked by scanning the imports of the
 * sources: a plain import scan, no container, no extra library.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java/org/berth");

    /** Source files under {@code folder} (recursively) that import something starting with one of {@code forbidden}. */
    private static List<String> offenders(String folder, String... forbidden) {
        try (Stream<Path> files = Files.walk(MAIN.resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> imports(f).anyMatch(i -> Stream.of(forbidden).anyMatch(i::startsWith)))
                    .map(f -> MAIN.relativize(f).toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> imports(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith("import "))
                    .map(l -> l.substring("import ".length()).replace("static ", "").trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void domainDependsOnNothingOutward() {
        assertEquals(List.of(), offenders("domain", "org.berth.api", "org.berth.application", "org.berth.infrastructure",
                "org.berth.storage", "org.berth.auth", "jakarta.ws", "jakarta.persistence", "jakarta.enterprise",
                "jakarta.transaction", "java.nio.file"));
    }

    @Test
    void applicationDoesNotReachIntoTheApiOrInfrastructure() {
        assertEquals(List.of(), offenders("application", "org.berth.api", "org.berth.infrastructure", "jakarta.ws",
                "jakarta.persistence"));
    }

    @Test
    void adminApiGoesThroughServices() {
        assertEquals(List.of(), offenders("api/admin", "org.berth.infrastructure", "org.berth.storage",
                "jakarta.persistence", "org.apache.shiro"));
    }

    @Test
    void shiroStaysInsideAuthShiro() {
        try (Stream<Path> folders = Files.list(MAIN)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                String name = MAIN.relativize(folder).toString();
                if (!name.equals("auth")) {
                    assertEquals(List.of(), offenders(name, "org.apache.shiro"));
                }
            }
            try (Stream<Path> auth = Files.list(MAIN.resolve("auth"))) {
                for (Path f : auth.filter(f -> f.toString().endsWith(".java")).toList()) {
                    assertEquals(false, imports(f).anyMatch(i -> i.startsWith("org.apache.shiro")), f.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
