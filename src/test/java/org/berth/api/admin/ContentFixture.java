package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;

/**
 * Users, projects and images for the content and quota integration tests: every name is unique,
 * and images are pushed through /v2 with {@link RegistryClient} as a client would.
 */
final class ContentFixture {

    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    final AdminClient api;
    private final URI base;
    private final Random random = new Random();

    ContentFixture(URI base) {
        this.base = base;
        this.api = new AdminClient(base);
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Creates a user; returns its Basic credentials. */
    String user(String name) {
        HttpResponse<String> r = api.send("POST", "api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + password(name) + "\"}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return basic(name, password(name));
    }

    static String password(String name) {
        return "pw-" + name + "-1";
    }

    /** A new project owned by the administrator. */
    String project(boolean isPublic) {
        String name = unique("c");
        HttpResponse<String> r = api.send("POST", "api/v1/projects", "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return name;
    }

    /** A new user with the role in the project; returns its Basic credentials. */
    String member(String project, String role) {
        String name = unique("u");
        String credentials = user(name);
        HttpResponse<String> r = api.send("POST", "api/v1/projects/" + project + "/members",
                "{\"username\":\"" + name + "\",\"role\":\"" + role + "\"}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return credentials;
    }

    RegistryClient registry() {
        return new RegistryClient(base).withBasicAuth("admin", "Admin12345!");
    }

    byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An image config with a platform, a creation time and labels. */
    static byte[] config(String os, String architecture, String label) {
        return utf8("{\"architecture\":\"" + architecture + "\",\"os\":\"" + os + "\",\"created\":\"2026-01-02T03:04:05Z\","
                + "\"config\":{\"Labels\":{\"org.example.label\":\"" + label + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    }

    static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + RegistryClient.sha256(content) + "\",\"size\":" + content.length + "}";
    }

    /** The bytes of an OCI image manifest, optionally with a subject. */
    static byte[] manifest(byte[] config, List<byte[]> layers, String subject) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",")
                .append("\"config\":").append(descriptor(CONFIG_TYPE, config)).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append(descriptor(LAYER_TYPE, layers.get(i)));
        }
        json.append("]");
        if (subject != null) {
            json.append(",\"subject\":").append(subject);
        }
        return utf8(json.append("}").toString());
    }

    /** Uploads a blob; fails unless it is created. */
    void blob(RegistryClient registry, String repository, byte[] content) {
        RegistryClient.Response r = registry.uploadBlob(repository, RegistryClient.sha256(content), content);
        assertEquals(201, r.status(), r.toString());
    }

    /** Pushes config, layers and manifest; returns the manifest's bytes. */
    byte[] push(RegistryClient registry, String repository, String tag, byte[] config, List<byte[]> layers) {
        blob(registry, repository, config);
        layers.forEach(l -> blob(registry, repository, l));
        byte[] manifest = manifest(config, layers, null);
        RegistryClient.Response r = registry.putManifest(repository, tag, RegistryClient.OCI_MANIFEST, manifest);
        assertEquals(201, r.status(), r.toString());
        return manifest;
    }

    /** Pushes a small random image; returns its manifest digest. */
    String pushImage(String repository, String tag) {
        return RegistryClient.sha256(push(registry(), repository, tag, config("linux", "amd64", tag), List.of(randomBytes(300))));
    }
}
