package org.berth.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every end-to-end scenario {@code e2e/NN-name.sh} as one dynamic test: each script
 * starts its own Berth (the WAR and Payara Micro that the build produced) on a loopback
 * port with a temporary data root and drives it with the real docker and skopeo clients.
 *
 * <p>A plain JUnit test, not Arquillian: the scripts start and restart Berth themselves.
 * A Docker engine is required: without one the test fails (it does not skip). Run
 * {@code .ci/run}, or start {@code dockerd --storage-driver=vfs --iptables=false --bridge=none}.
 *
 * <p>System properties: {@code berth.war} and {@code payara.microJar} (set by failsafe),
 * {@code berth.e2e.filter} (a regular expression: only scripts whose name it finds run),
 * {@code berth.e2e.logs} (the log directory, default {@code target/e2e-logs}),
 * {@code berth.e2e.optin} (a regular expression, default {@code ^99-}: scenarios that run only
 * when {@code berth.e2e.filter} is given and finds them; {@code 99-cluster} starts three nodes
 * twice on PostgreSQL, so it runs in the PostgreSQL pass only, whose filter names it).
 * Each script's output goes to {@code LOGS/NAME.log}, the registry's log to
 * {@code LOGS/NAME.registry.log}. The scripts inherit this JVM's environment: the build's
 * PostgreSQL pass sets {@code E2E_DB=postgresql} there (see e2e/lib.sh).
 *
 * <p>Scenarios that need no Berth of their own ({@code berth.e2e.shared}, a regular expression:
 * those that neither restart Berth nor start it with TLS, a proxy, a server or a bad setting)
 * share one on H2: each Payara Micro start costs over a minute on a slow CI machine. The first
 * of them starts it in {@code target/e2e-shared} (e2e/lib.sh, {@code E2E_SHARED_DIR}), its log
 * is {@code LOGS/shared.registry.log}, and this class stops it after the last scenario that uses it.
 */
class EndToEndIT {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration DOCKER_INFO_TIMEOUT = Duration.ofSeconds(60);
    private static final int TAIL_LINES = 150;

    private final Path baseDir = baseDir();
    private final Path e2eDir = baseDir.resolve("e2e");
    private final Path logDir = baseDir.resolve(System.getProperty("berth.e2e.logs", "target/e2e-logs"));
    private final Pattern shared = Pattern.compile(System.getProperty("berth.e2e.shared", "^(10|15|20|40|65|80|90|91|92)-"));

    /** Where the shared Berth keeps its data root, temp files, pid and port. */
    private static final Path SHARED_DIR = baseDir().resolve("target/e2e-shared");
    private static final Duration SHARED_STOP_TIMEOUT = Duration.ofSeconds(60);

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        List<Path> scripts = scripts();
        assertTrue(!scripts.isEmpty(), "no end-to-end scenario e2e/[0-9]*.sh found in " + e2eDir);
        requireDocker();
        Files.createDirectories(logDir);
        stopSharedBerth();
        deleteRecursively(SHARED_DIR);
        // the shared Berth stops after the last scenario that uses it, not at the very end
        Path lastSharing = scripts.stream().filter(this::sharesBerth).reduce((a, b) -> b).orElse(null);
        return scripts.stream().map(script -> DynamicTest.dynamicTest(
                script.getFileName().toString(), script.toUri(), () -> {
                    try {
                        run(script);
                    } finally {
                        if (script.equals(lastSharing)) {
                            stopSharedBerth();
                        }
                    }
                }));
    }

    private List<Path> scripts() throws IOException {
        String filterText = System.getProperty("berth.e2e.filter", "");
        Pattern filter = Pattern.compile(filterText);
        Pattern optIn = Pattern.compile(System.getProperty("berth.e2e.optin", "^99-"));
        try (Stream<Path> files = Files.list(e2eDir)) {
            return files
                    .filter(p -> p.getFileName().toString().matches("[0-9].*\\.sh"))
                    .filter(p -> filter.matcher(p.getFileName().toString()).find())
                    .filter(p -> !filterText.isEmpty() || !optIn.matcher(p.getFileName().toString()).find())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private void run(Path script) throws Exception {
        String name = script.getFileName().toString().replaceFirst("\\.sh$", "");
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .directory(baseDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("BERTH_WAR", path(System.getProperty("berth.war"), "target/ROOT.war"));
        String microJar = System.getProperty("payara.microJar");
        if (microJar != null && !microJar.isBlank()) {
            env.put("BERTH_MICRO_JAR", path(microJar, microJar));
        }
        env.putIfAbsent("E2E_TARGET", "berth");
        env.put("E2E_LOG_DIR", logDir.toString());
        if (sharesBerth(script)) {
            env.put("E2E_SHARED_DIR", SHARED_DIR.toString());
        } else {
            env.remove("E2E_SHARED_DIR");
        }

        System.out.println("[e2e] running " + script.getFileName() + " on " + env.getOrDefault("E2E_DB", "h2")
                + " (output: " + log + ")");
        long start = System.nanoTime();
        Process process = pb.start();
        boolean finished = process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            killTree(process);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String tail = tail(log, TAIL_LINES);
        if (!finished) {
            System.out.println(tail);
            fail(script.getFileName() + " did not finish within " + SCRIPT_TIMEOUT.toMinutes()
                    + " min and was killed; log: " + log + "\n" + tail(log, 40));
        }
        int exit = process.exitValue();
        System.out.println("[e2e] " + script.getFileName() + " exited " + exit + " after " + seconds + " s");
        if (exit != 0) {
            System.out.println("----- last " + TAIL_LINES + " lines of " + log + " -----");
            System.out.println(tail);
            System.out.println("----- end of " + log + " -----");
            fail(script.getFileName() + " exited " + exit + "; full log: " + log + "\n" + tail(log, 40));
        }
    }

    /** Whether the scenario runs on the shared Berth: one of berth.e2e.shared, on H2. */
    private boolean sharesBerth(Path script) {
        return !"postgresql".equals(System.getenv("E2E_DB")) && shared.matcher(script.getFileName().toString()).find();
    }

    /** Stops the Berth that scenarios shared, if one runs (its pid file is in SHARED_DIR). */
    @AfterAll
    static void stopSharedBerth() throws IOException {
        Path pidFile = SHARED_DIR.resolve("pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid = Long.parseLong(new String(Files.readAllBytes(pidFile), StandardCharsets.US_ASCII).trim());
        Files.delete(pidFile);
        // only the Berth started there: a stale pid may belong to another process by now
        ProcessHandle.of(pid)
                .filter(h -> h.info().commandLine().map(c -> c.contains(SHARED_DIR.toString())).orElse(false))
                .ifPresent(h -> {
                    System.out.println("[e2e] stopping the shared Berth (pid " + pid + ")");
                    h.destroy();
                    try {
                        h.onExit().get(SHARED_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        h.destroyForcibly();
                    } catch (ExecutionException | TimeoutException e) {
                        h.destroyForcibly();
                    }
                });
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    /** A Docker engine must answer: fail (not skip) with a message that says how to get one. */
    private static void requireDocker() {
        String docker = Files.isExecutable(Paths.get("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";
        String why;
        Path out = null;
        try {
            out = Files.createTempFile("berth-e2e-docker-info", ".log");
            Process p = new ProcessBuilder(docker, "info")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(DOCKER_INFO_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                killTree(p);
                why = "'" + docker + " info' did not answer within " + DOCKER_INFO_TIMEOUT.toSeconds() + " s";
            } else if (p.exitValue() != 0) {
                why = "'" + docker + " info' exited " + p.exitValue() + ":\n" + tail(out, 10);
            } else {
                return;
            }
        } catch (IOException e) {
            why = "'" + docker + " info' could not be run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted while running '" + docker + " info'";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
        fail("The end-to-end tests need a running Docker engine, and none answers: " + why + "\n"
                + "Run .ci/run (as root on Debian 12: it installs docker.io, skopeo and busybox-static and starts dockerd),"
                + " or install those packages and start dockerd yourself:\n"
                + "  dockerd --storage-driver=vfs --iptables=false --bridge=none >/tmp/dockerd.log 2>&1 &");
    }

    private static void killTree(Process process) {
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> all = new ArrayList<>();
        handle.descendants().forEach(all::add);
        all.add(handle);
        all.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    private static String tail(Path file, int lines) {
        try {
            return lastLines(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static String lastLines(String text, int lines) {
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines);
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < all.length; i++) {
            sb.append(all[i]).append('\n');
        }
        return sb.toString();
    }

    private String path(String configured, String fallback) {
        String p = configured == null || configured.isBlank() ? fallback : configured;
        return baseDir.resolve(p).toAbsolutePath().toString();
    }

    private static Path baseDir() {
        String basedir = System.getProperty("basedir");
        Path dir = basedir == null || basedir.isBlank() ? Paths.get("") : Paths.get(basedir);
        return dir.toAbsolutePath();
    }
}
