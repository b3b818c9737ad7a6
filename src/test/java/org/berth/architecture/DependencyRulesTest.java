package org.berth.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward (STYLE habit 2), Shiro stays in {@code auth/shiro} (habit 5). A plain
 * scan of the sources: every {@code import} and every fully qualified name in code (comments and
 * string literals removed) counts as a dependency.
 */
class DependencyRulesTest {

    private static final Path MAIN = Path.of(System.getProperty("basedir", "."), "src/main/java");
    private static final Path BERTH = MAIN.resolve("org/berth");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'", Pattern.DOTALL);

    private record Source(Path file, String code) {
        String relative() {
            return MAIN.relativize(file).toString().replace('\\', '/');
        }

        /** Imported names, and qualified names used in the code (e.g. {@code java.nio.file.Files.size}). */
        List<String> dependencies() {
            List<String> result = new ArrayList<>();
            Matcher m = IMPORT.matcher(code);
            while (m.find()) {
                result.add(m.group(1));
            }
            Matcher q = Pattern.compile("\\b(?:java|javax|jakarta|org)(?:\\.\\w+)+").matcher(code);
            while (q.find()) {
                result.add(q.group());
            }
            return result;
        }
    }

    private static List<Source> sources(String packagePath) {
        Path dir = BERTH.resolve(packagePath);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().map(DependencyRulesTest::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Source(file, COMMENTS_AND_STRINGS.matcher(text).replaceAll(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> violations(List<Source> sources, String... forbiddenPrefixes) {
        List<String> found = new ArrayList<>();
        for (Source s : sources) {
            for (String dependency : s.dependencies()) {
                for (String prefix : forbiddenPrefixes) {
                    if (dependency.equals(prefix) || dependency.startsWith(prefix + ".")) {
                        found.add(s.relative() + " -> " + dependency);
                    }
                }
            }
        }
        return found.stream().distinct().toList();
    }

    private static List<Source> nonEmpty(String packagePath) {
        List<Source> sources = sources(packagePath);
        assertFalse(sources.isEmpty(), "no sources under " + BERTH.resolve(packagePath) + ": the scan would prove nothing");
        return sources;
    }

    @Test
    void domainDependsOnNoFrameworkNorOuterLayer() {
        assertEquals(List.of(), violations(nonEmpty("domain"),
                "jakarta.ws.rs", "jakarta.persistence", "jakarta.enterprise", "jakarta.transaction", "java.nio.file",
                "org.berth.api", "org.berth.application", "org.berth.storage", "org.berth.infrastructure", "org.berth.auth"));
    }

    @Test
    void applicationKnowsNothingOfHttpNorOfPersistence() {
        assertEquals(List.of(), violations(nonEmpty("application"), "jakarta.ws.rs", "org.berth.api",
                "jakarta.persistence", "org.berth.infrastructure"));
    }

    @Test
    void apiDoesNoPersistenceNorFileIo() {
        assertEquals(List.of(), violations(nonEmpty("api"), "jakarta.persistence", "java.nio.file"));
    }

    @Test
    void adminApiGoesThroughServices() {
        assertEquals(List.of(), violations(nonEmpty("api/admin"), "org.berth.infrastructure", "org.berth.storage"));
    }

    @Test
    void storageAndInfrastructureDoNotReachBackIntoTheApi() {
        List<Source> sources = new ArrayList<>(nonEmpty("storage"));
        sources.addAll(nonEmpty("infrastructure"));
        assertEquals(List.of(), violations(sources, "org.berth.api", "jakarta.ws.rs"));
    }

    @Test
    void storageReadsNoConfigurationItIsTold() {
        // settings arrive as StorageSettings and the stores from infrastructure/config's StorageProducer
        assertEquals(List.of(), violations(nonEmpty("storage"), "org.berth.infrastructure", "org.berth.application"));
    }

    @Test
    void remoteClientKnowsOnlyTheDomain() {
        // the outgoing registry client (issue 20) is plain Java over java.net.http: the proxy cache
        // and replication call it, never the other way round
        assertEquals(List.of(), violations(nonEmpty("remote"), "org.berth.api", "org.berth.application",
                "org.berth.storage", "org.berth.infrastructure", "org.berth.auth", "jakarta.ws.rs", "jakarta.enterprise",
                "jakarta.persistence"));
    }

    @Test
    void shiroStaysInAuthShiro() {
        List<Source> outside = nonEmpty("").stream()
                .filter(s -> !s.relative().startsWith("org/berth/auth/shiro/"))
                .toList();
        assertEquals(List.of(), violations(outside, "org.apache.shiro"));
    }

    // ------------------------------------------------------------------ the scan itself

    @Test
    void scanSeesImportsAndQualifiedNamesButNotCommentsOrStrings() {
        String text = """
                package org.berth.domain;
                import java.nio.file.Path;
                import static jakarta.ws.rs.core.Response.ok;
                /** See {@link org.berth.api.error.OciErrorCode}. */
                class X {
                    // org.berth.storage.FilesystemBlobStore is mentioned only here
                    String s = "jakarta.persistence.Entity";
                    Object o = org.berth.infrastructure.jpa.TagEntity.class;
                }
                """;
        Source source = new Source(BERTH.resolve("domain/X.java"), COMMENTS_AND_STRINGS.matcher(text).replaceAll(" "));
        List<String> found = violations(List.of(source), "java.nio.file", "jakarta.ws.rs", "org.berth.api",
                "org.berth.storage", "jakarta.persistence", "org.berth.infrastructure");
        assertEquals(3, found.size(), found.toString());
        assertTrue(found.stream().anyMatch(f -> f.endsWith("java.nio.file.Path")));
        assertTrue(found.stream().anyMatch(f -> f.endsWith("jakarta.ws.rs.core.Response.ok")));
        assertTrue(found.stream().anyMatch(f -> f.contains("org.berth.infrastructure.jpa.TagEntity")));
    }
}
