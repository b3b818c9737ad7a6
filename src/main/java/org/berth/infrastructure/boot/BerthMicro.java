package org.berth.infrastructure.boot;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The main class of {@code target/berth-micro.jar}: checks what Payara would otherwise trip over
 * before Berth's own code runs, then hands the same arguments to Payara Micro.
 *
 * <p>Set here: Grizzly's sendfile switch, on unless the operator says otherwise.
 * <p>Checked here: the TLS keystore ({@link TlsKeystoreCheck}) and the listeners' ports
 * ({@link PortCheck}). The data root and the database are
 * checked later, inside the WAR ({@code StartupCheck}), where the MicroProfile Config values are
 * known. A failure is one line, {@code Berth cannot start: ...}, and exit status 1.
 *
 * <p>The build adds this package to Payara Micro's uber jar and makes this class its
 * {@code Main-Class}; the WAR leaves it out.
 */
public final class BerthMicro {

    private static final String PAYARA_MICRO = "fish.payara.micro.PayaraMicro";
    /** Grizzly's sendfile switch (GrizzlySendfile's too; this package goes into the launcher jar alone). */
    static final String USE_SEND_FILE = "org.glassfish.grizzly.http.USE_SEND_FILE";

    private BerthMicro() {
    }

    public static void main(String[] args) throws Throwable {
        Optional<String> problem = TlsKeystoreCheck.problem(systemProperties(args), option(args, "--sslcert"))
                .or(() -> PortCheck.problem(args));
        if (problem.isPresent()) {
            System.err.println("Berth cannot start: " + problem.get());
            System.exit(1);
        }
        // Grizzly leaves sendfile off unless told; Berth's blob GETs use it (GrizzlySendfile). A value
        // given with -D or in the --systemproperties file (loaded by Payara later) wins.
        if (System.getProperty(USE_SEND_FILE) == null) {
            System.setProperty(USE_SEND_FILE, "true");
        }
        try {
            Class.forName(PAYARA_MICRO).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * The system properties Payara Micro will run with: the JVM's, then those of the
     * {@code --systemproperties} file, which Payara Micro loads at boot over them.
     */
    static Map<String, String> systemProperties(String[] args) {
        Map<String, String> result = new HashMap<>();
        System.getProperties().forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
        option(args, "--systemproperties").ifPresent(file -> {
            Properties fromFile = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                fromFile.load(in);
            } catch (IOException e) {
                return; // Payara Micro reports an unreadable file itself
            }
            fromFile.forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
        });
        return result;
    }

    /** Whether a Payara Micro option without a value ({@code --autobindhttp}) is given; names ignore case. */
    static boolean flag(String[] args, String name) {
        return List.of(args).stream().anyMatch(arg -> arg.equalsIgnoreCase(name));
    }

    /** The value of a Payara Micro option ({@code --name value} or {@code --name=value}; names ignore case). */
    static Optional<String> option(String[] args, String name) {
        List<String> list = List.of(args);
        String wanted = name.toLowerCase(Locale.ROOT);
        Optional<String> found = Optional.empty();
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            String lower = arg.toLowerCase(Locale.ROOT);
            if (lower.equals(wanted) && i + 1 < list.size()) {
                found = Optional.of(list.get(i + 1));
            } else if (lower.startsWith(wanted + "=")) {
                found = Optional.of(arg.substring(wanted.length() + 1));
            }
        }
        return found;
    }
}
