package org.berth.infrastructure.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BerthMicroTest {

    @TempDir
    Path tmp;

    @Test
    void optionsAreFoundInBothFormsIgnoringCaseAndTheLastOneWins() {
        String[] args = {"--deploy", "ROOT.war", "--sslPort", "5443", "--sslcert", "first", "--nocluster",
                "--SSLCERT=second"};
        assertEquals(Optional.of("5443"), BerthMicro.option(args, "--sslport"));
        assertEquals(Optional.of("second"), BerthMicro.option(args, "--sslcert"));
        assertEquals(Optional.empty(), BerthMicro.option(args, "--systemproperties"));
        assertEquals(Optional.empty(), BerthMicro.option(new String[] {"--sslcert"}, "--sslcert"),
                "an option without its value");
    }

    @Test
    void theSystemPropertiesFileIsReadOverTheJvmProperties() throws Exception {
        Path file = Files.writeString(tmp.resolve("tls.properties"),
                "javax.net.ssl.keyStore=/etc/berth/berth.p12\njava.io.tmpdir=/from/file\n");
        var properties = BerthMicro.systemProperties(new String[] {"--systemproperties", file.toString()});
        assertEquals("/etc/berth/berth.p12", properties.get("javax.net.ssl.keyStore"));
        assertEquals("/from/file", properties.get("java.io.tmpdir"));
        assertEquals(System.getProperty("java.version"), properties.get("java.version"));
    }

    @Test
    void anUnreadableSystemPropertiesFileIsLeftToPayara() {
        var properties = BerthMicro.systemProperties(new String[] {"--systemproperties", tmp.resolve("none").toString()});
        assertEquals(System.getProperty("java.version"), properties.get("java.version"));
    }
}
