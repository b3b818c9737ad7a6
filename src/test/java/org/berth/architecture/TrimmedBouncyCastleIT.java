package org.berth.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

/**
 * The WAR carries a trimmed Bouncy Castle (pom.xml, {@code bcprov-trimmed}: the packages Shiro's
 * bcrypt and argon2 hashes reach, not the 4,700 classes Payara would parse at every deployment).
 * This checks the packaged WAR: every Bouncy Castle class that Shiro's hash modules or Berth's own
 * classes use, and every class those use in turn, is in the trimmed jar, so no login can meet a
 * {@code NoClassDefFoundError} after an upgrade of Shiro or Bouncy Castle.
 */
class TrimmedBouncyCastleIT {

    private static final String BC = "org/bouncycastle/";
    private static final Pattern DESCRIPTOR_REFERENCE = Pattern.compile("L(org/bouncycastle/[^;<]+)[;<]");

    @Test
    void theClassesShirosHashesNeedAreAllInTheWar() throws IOException {
        Path war = Path.of(System.getProperty("berth.war", "target/ROOT.war"));
        Map<String, byte[]> trimmed = new HashMap<>();
        Set<String> roots = new TreeSet<>();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            List<? extends ZipEntry> entries = zip.stream().toList();
            for (ZipEntry entry : entries) {
                String name = entry.getName();
                if (name.startsWith("WEB-INF/lib/bcprov")) {
                    assertTrue(trimmed.isEmpty(), "one Bouncy Castle jar in the WAR, found another: " + name);
                    readJar(zip.getInputStream(entry), trimmed);
                } else if (name.startsWith("WEB-INF/lib/shiro-hashes-")) {
                    Map<String, byte[]> classes = new HashMap<>();
                    readJar(zip.getInputStream(entry), classes);
                    for (byte[] bytes : classes.values()) {
                        roots.addAll(bouncyCastleReferences(bytes));
                    }
                } else if (name.startsWith("WEB-INF/classes/") && name.endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        roots.addAll(bouncyCastleReferences(in.readAllBytes()));
                    }
                }
            }
        }
        assertFalse(trimmed.isEmpty(), "no Bouncy Castle jar in " + war);
        assertTrue(roots.contains("org/bouncycastle/crypto/generators/OpenBSDBCrypt"),
                "Shiro's bcrypt no longer uses OpenBSDBCrypt: " + roots);

        Set<String> missing = new TreeSet<>();
        Set<String> reached = new TreeSet<>();
        Deque<String> next = new ArrayDeque<>(roots);
        while (!next.isEmpty()) {
            String name = next.pop();
            if (!reached.add(name)) {
                continue;
            }
            byte[] bytes = trimmed.get(name);
            if (bytes == null) {
                missing.add(name);
            } else {
                next.addAll(bouncyCastleReferences(bytes));
            }
        }
        assertEquals(Set.of(), missing, "Bouncy Castle classes reached from Shiro's hashes but left out of the"
                + " trimmed jar (add their package to bcprov-trimmed in pom.xml)");
        assertTrue(trimmed.size() < 1000, "the trimmed jar holds " + trimmed.size() + " classes");
    }

    @Test
    void theReferenceReaderFindsClassesAndDescriptors() throws IOException {
        try (InputStream in = String.class.getResourceAsStream("String.class")) {
            assertEquals(Set.of(), bouncyCastleReferences(in.readAllBytes()));
        }
        try (InputStream in = TrimmedBouncyCastleIT.class.getResourceAsStream(
                "/org/apache/shiro/crypto/support/hashes/bcrypt/BCryptHash.class")) {
            assertTrue(bouncyCastleReferences(in.readAllBytes()).contains("org/bouncycastle/crypto/generators/OpenBSDBCrypt"));
        }
        Matcher m = DESCRIPTOR_REFERENCE.matcher("(Lorg/bouncycastle/util/Arrays;[B)Lorg/bouncycastle/crypto/Digest;");
        assertTrue(m.find());
        assertEquals("org/bouncycastle/util/Arrays", m.group(1));
    }

    private static void readJar(InputStream jar, Map<String, byte[]> classes) throws IOException {
        try (ZipInputStream in = new ZipInputStream(jar)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    classes.put(e.getName().substring(0, e.getName().length() - ".class".length()), in.readAllBytes());
                }
            }
        }
    }

    /**
     * The Bouncy Castle classes a class file names in its constant pool: class entries (what it
     * instantiates, calls, casts to) and the types in its descriptors (what the verifier may load).
     */
    static Set<String> bouncyCastleReferences(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> found = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) {
                String name = utf8[classNameIndex[i]].replaceFirst("^\\[+L(.*);$", "$1");
                if (name.startsWith(BC)) {
                    found.add(name);
                }
            }
            if (utf8[i] != null && utf8[i].contains("Lorg/bouncycastle/")) {
                Matcher m = DESCRIPTOR_REFERENCE.matcher(utf8[i]);
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        return found;
    }
}
