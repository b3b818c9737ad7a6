package org.berth.infrastructure.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.berth.domain.CronSchedule;
import org.berth.infrastructure.secrets.SecretKeys;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Checks the settings Berth cannot run without, before anything uses them, and turns a bad one
 * into ONE log line that names it: {@code Berth cannot start: berth.data.root=/x is not writable (...)}.
 *
 * <p>On Payara Micro the process then exits with status 1: Micro would otherwise keep running with
 * no application (404 everywhere), which a supervisor (systemd, Docker) cannot tell from a working
 * registry. On a full server, which may host other applications, the deployment fails instead.
 */
public final class StartupCheck {

    private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

    /** JDBC URL prefix -> package of the DataSource classes that understand it. */
    private static final Map<String, String> DRIVER_PACKAGES = Map.of(
            "jdbc:h2:", "org.h2.",
            "jdbc:postgresql:", "org.postgresql.");

    private final Function<String, Optional<String>> settings;

    StartupCheck(Function<String, Optional<String>> settings) {
        this.settings = settings;
    }

    /** The checks with Berth's configuration as the WAR's class loader sees it. */
    public static StartupCheck ofConfiguration() {
        Config config = ConfigProvider.getConfig(StartupCheck.class.getClassLoader());
        return new StartupCheck(key -> config.getOptionalValue(key, String.class));
    }

    /** {@code berth.data.root} exists (or can be made) and takes a new file. */
    public void dataRootWritable() {
        String value = setting("berth.data.root");
        Path root = Path.of(value).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            Files.delete(Files.createTempFile(root, ".write-check-", ""));
        } catch (IOException | SecurityException e) {
            fail("berth.data.root=" + value + " is not writable (" + describe(e) + ")");
        }
    }

    /**
     * The garbage collector's settings: {@code berth.gc.grace} and {@code berth.upload.expiry} are
     * whole numbers of seconds from 0, {@code berth.gc.schedule} empty or a cron expression.
     */
    public void gcSettings() {
        for (String key : new String[] {"berth.gc.grace", "berth.upload.expiry"}) {
            String value = setting(key).trim();
            if (value.isEmpty()) {
                continue;
            }
            try {
                if (Long.parseLong(value) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                fail(key + "=" + value + " is not a number of seconds (a whole number from 0)");
            }
        }
        String schedule = setting("berth.gc.schedule").trim();
        if (!schedule.isEmpty()) {
            try {
                CronSchedule.parse(schedule);
            } catch (IllegalArgumentException e) {
                fail("berth.gc.schedule=" + schedule + " is not a cron schedule (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * The webhook settings (issue 21): {@code berth.webhook.backoff-base} a number of seconds above
     * 0 (a fraction allowed), {@code berth.webhook.max-attempts} a whole number from 1 to 50,
     * {@code berth.webhook.keep-days} a whole number from 1.
     */
    public void webhookSettings() {
        String base = setting("berth.webhook.backoff-base").trim();
        if (!base.isEmpty()) {
            double seconds;
            try {
                seconds = Double.parseDouble(base);
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
            if (!(seconds >= 0.001 && seconds <= 86_400)) {
                fail("berth.webhook.backoff-base=" + base + " is not a number of seconds (from 0.001 to 86400, e.g. 30)");
            }
        }
        wholeNumber("berth.webhook.max-attempts", 1, 50);
        wholeNumber("berth.webhook.keep-days", 1, 3650);
    }

    private void wholeNumber(String key, long min, long max) {
        String value = setting(key).trim();
        if (value.isEmpty()) {
            return;
        }
        try {
            long n = Long.parseLong(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            fail(key + "=" + value + " is not a whole number from " + min + " to " + max);
        }
    }

    /**
     * {@code berth.secret.key}, when set, is the base64 of 32 bytes or a passphrase of 16
     * characters or more. The message never quotes it.
     */
    public void secretKeySetting() {
        String value = setting("berth.secret.key").trim();
        if (value.isEmpty()) {
            return;
        }
        try {
            SecretKeys.checkSetting(value);
        } catch (IllegalArgumentException e) {
            fail("berth.secret.key (BERTH_SECRET_KEY) is not usable: " + e.getMessage());
        }
    }

    /** The datasource selected by {@code berth.db.*} hands out a connection. */
    public void databaseReachable(DataSource dataSource) {
        String jndi = setting("berth.db.jndi");
        String url = redact(setting("berth.db.url"));
        if (jndi.isBlank()) {
            classFitsUrl(setting("berth.db.datasource-class"), url);
        }
        String what = jndi.isBlank()
                ? "berth.db.url=" + url + " (berth.db.user=" + setting("berth.db.user") + ")"
                : "berth.db.jndi=" + jndi;
        long deadline = System.nanoTime() + H2_IN_USE_WAIT_NANOS;
        while (true) {
            try (Connection c = dataSource.getConnection()) {
                c.getMetaData();
                return;
            } catch (SQLException | RuntimeException e) {
                Throwable cause = innermostSqlException(e);
                if (!h2FileInUse(cause) || System.nanoTime() > deadline) {
                    fail("cannot connect to the metadata database " + what + ": " + describe(cause));
                }
            }
            // The Berth that held the embedded database a moment ago (a restart) is still exiting.
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for the metadata database " + what);
            }
        }
    }

    /** How long a start waits for an embedded H2 file that another, exiting process still holds. */
    private static final long H2_IN_USE_WAIT_NANOS = 15_000_000_000L;

    /** H2's DATABASE_ALREADY_OPEN (90020): the file is locked by another process. */
    private static boolean h2FileInUse(Throwable cause) {
        return cause instanceof SQLException sql && "90020".equals(sql.getSQLState());
    }

    /** A bad {@code berth.db.jndi}: no JDBC resource of that name on this server. */
    public static void noSuchResource(String jndiName, Exception e) {
        // Naming exceptions quote the whole JNDI environment: the name is what matters.
        String why = e instanceof javax.naming.NamingException ? "lookup failed" : describe(e);
        fail("berth.db.jndi=" + jndiName + " is not a JDBC resource on this server (" + why
                + "; create it with asadmin create-jdbc-resource, or leave berth.db.jndi empty)");
    }

    private static void classFitsUrl(String className, String url) {
        DRIVER_PACKAGES.forEach((prefix, pkg) -> {
            if (url.toLowerCase(Locale.ROOT).startsWith(prefix) && !className.startsWith(pkg)) {
                String suggestion = pkg.equals("org.postgresql.") ? "org.postgresql.ds.PGSimpleDataSource" : "org.h2.jdbcx.JdbcDataSource";
                fail("berth.db.datasource-class=" + className + " does not take berth.db.url=" + url
                        + " (set BERTH_DB_DATASOURCE_CLASS=" + suggestion + ")");
            }
        });
    }

    private String setting(String key) {
        return settings.apply(key).orElse("");
    }

    /** Logs the one line, then stops Berth (see the class comment). */
    static void fail(String problem) {
        String line = "Berth cannot start: " + problem;
        LOG.severe(line);
        if (onPayaraMicro()) {
            for (Handler h : Logger.getLogger("").getHandlers()) {
                h.flush();
            }
            System.err.flush();
            // halt, not exit: exit's shutdown hooks would wait for the deployment this thread is in.
            Runtime.getRuntime().halt(1);
        }
        throw new StartupFailure(line);
    }

    private static boolean onPayaraMicro() {
        try {
            Class.forName("fish.payara.micro.PayaraMicro", false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The driver's own words: connection pools wrap them in several layers of their own. */
    private static Throwable innermostSqlException(Throwable e) {
        Throwable found = e;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException) {
                found = t;
            }
        }
        return found;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ").trim();
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** A JDBC URL may carry a password parameter; it never goes to the log. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /** Thrown where the server, not the process, must see the failure (a full application server). */
    public static final class StartupFailure extends RuntimeException {
        StartupFailure(String message) {
            super(message, null, false, false);
        }
    }
}
