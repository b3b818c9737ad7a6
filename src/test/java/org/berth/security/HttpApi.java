package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.berth.support.AdminClient;

/** The administration client of the ITs, with the users and projects the security ITs make. */
final class HttpApi extends AdminClient {

    HttpApi(URI base) {
        super(base);
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String password(String name) {
        return "pw-" + name + "-1";
    }

    /** Creates a user as the administrator; returns its Basic credentials. */
    String user(String name) {
        HttpResponse<String> r = send("POST", "api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + password(name) + "\"}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return basic(name, password(name));
    }

    /** Creates a project as {@code owner}, who becomes its project admin. */
    void project(String name, boolean isPublic, String owner) {
        HttpResponse<String> r = send("POST", "api/v1/projects", "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}", owner);
        assertEquals(201, r.statusCode(), r.body());
    }
}
