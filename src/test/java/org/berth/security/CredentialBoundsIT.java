package org.berth.security;

import static org.berth.security.CredentialFixture.PASSWORD;
import static org.berth.security.CredentialFixture.basic;
import static org.berth.security.CredentialFixture.bearer;
import static org.berth.security.CredentialFixture.claims;
import static org.berth.security.CredentialFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, items 1 to 3: every credential keeps the bounds of what it was made from. A token
 * derived from a pull-only personal token pulls only; a refresh token ends with its credential;
 * a registry token is no key to the administration API; token logins do not reset password
 * failures.
 */
class CredentialBoundsIT extends ITBase {

    private CredentialFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new CredentialFixture(base());
    }

    /** A developer of a private project, with a pull-only personal token: user, project, token. */
    private String[] developerWithPullOnlyToken() {
        String user = fixture.user("alice");
        String project = fixture.project("bounds", false);
        fixture.member(project, user, "developer");
        String pat = fixture.personalToken(user, "ro", "\"pull\"");
        return new String[] {user, project, pat};
    }

    @Test
    void aRefreshTokenMadeFromAPullOnlyPersonalTokenOnlyEverPulls() {
        String[] d = developerWithPullOnlyToken();
        String scope = "repository:" + d[1] + "/app:pull,push";
        RegistryClient.Response offline = fixture.token(basic(d[0], d[2]), true, scope);
        assertEquals(200, offline.status(), offline.toString());
        assertEquals("repository:" + d[1] + "/app:pull", json(offline).get("scope"));
        String refresh = (String) json(offline).get("refresh_token");
        assertNotNull(refresh, "an offline token was asked for");

        RegistryClient.Response refreshed = fixture.refresh(refresh, scope);
        assertEquals(200, refreshed.status(), refreshed.toString());
        assertEquals("repository:" + d[1] + "/app:pull", json(refreshed).get("scope"), "the refresh must not widen the token");
        assertEquals("PERSONAL_TOKEN", claims(bearer(refreshed)).get("berth_kind"));
        assertNotEquals(201, fixture.pushImage(bearer(refreshed), d[1] + "/app", "v1"), "a pull-only token pushed");
    }

    @Test
    void aTokenMadeFromAPersonalTokenCannotManageTokensPasswordsOrUsers() {
        String[] d = developerWithPullOnlyToken();
        String refresh = (String) json(fixture.token(basic(d[0], d[2]), true)).get("refresh_token");
        String api = bearer(fixture.refresh(refresh, "api:v1:*"));
        assertEquals(200, fixture.call("GET", "/api/v1/users/current", api, null).status(), "reading one's profile is fine");
        assertEquals(403, fixture.call("POST", "/api/v1/users/current/tokens", api, "{\"name\":\"full\"}").status());
        assertEquals(403, fixture.call("GET", "/api/v1/users/current/tokens", api, null).status());
        assertEquals(403, fixture.call("PUT", "/api/v1/users/" + d[0] + "/password", api,
                "{\"old_password\":\"" + PASSWORD + "\",\"new_password\":\"An0ther-Passw0rd!\"}").status());
        assertEquals(403, fixture.call("POST", "/api/v1/projects", api, "{\"name\":\"pat-" + fixture.suffix + "\"}").status());
        // the personal token itself on Basic is bounded the same way
        assertEquals(403, fixture.call("POST", "/api/v1/users/current/tokens", basic(d[0], d[2]), "{\"name\":\"full2\"}").status());
    }

    @Test
    void revokingAPersonalTokenEndsTheRefreshTokensMadeFromIt() {
        String[] d = developerWithPullOnlyToken();
        String refresh = (String) json(fixture.token(basic(d[0], d[2]), true)).get("refresh_token");
        assertEquals(200, fixture.refresh(refresh).status());
        assertEquals(204, fixture.call("DELETE", "/api/v1/users/current/tokens/ro", basic(d[0], PASSWORD), null).status());
        RegistryClient.Response after = fixture.refresh(refresh, "repository:" + d[1] + "/app:pull");
        assertEquals(401, after.status(), after.toString());
        assertFalse(after.header("WWW-Authenticate").isEmpty(), after.toString());
    }

    @Test
    void changingThePasswordEndsRefreshTokensAndRememberedBasicLoginsAtOnce() {
        String user = fixture.user("pwchange");
        String refresh = (String) json(fixture.token(basic(user, PASSWORD), true)).get("refresh_token");
        String api = bearer(fixture.refresh(refresh, "api:v1:*"));
        assertEquals(200, fixture.call("GET", "/api/v1/users/current", basic(user, PASSWORD), null).status()); // remembered now
        assertEquals(204, fixture.call("PUT", "/api/v1/users/" + user + "/password", basic(user, PASSWORD),
                "{\"old_password\":\"" + PASSWORD + "\",\"new_password\":\"An0ther-Passw0rd!\"}").status());
        assertEquals(401, fixture.refresh(refresh).status(), "refresh token after a password change");
        assertEquals(401, fixture.call("GET", "/api/v1/users/current", basic(user, PASSWORD), null).status(), "old password, remembered");
        assertEquals(401, fixture.call("GET", "/api/v1/users/current", api, null).status(), "API token after a password change");
        assertEquals(200, fixture.call("GET", "/api/v1/users/current", basic(user, "An0ther-Passw0rd!"), null).status());
    }

    @Test
    void disablingTheAccountEndsItsRefreshTokensEvenOnceEnabledAgain() {
        String user = fixture.user("disabled");
        String refresh = (String) json(fixture.token(basic(user, PASSWORD), true)).get("refresh_token");
        assertEquals(200, fixture.call("GET", "/api/v1/users/current", basic(user, PASSWORD), null).status());
        assertEquals(200, fixture.asAdmin("PATCH", "/api/v1/users/" + user, "{\"disabled\":true}").status());
        assertEquals(401, fixture.refresh(refresh).status());
        assertEquals(401, fixture.call("GET", "/api/v1/users/current", basic(user, PASSWORD), null).status());
        assertEquals(200, fixture.asAdmin("PATCH", "/api/v1/users/" + user, "{\"disabled\":false}").status());
        assertEquals(401, fixture.refresh(refresh).status(), "a refresh token ended by disabling stays ended");
        assertEquals(200, fixture.call("GET", "/api/v1/users/current", basic(user, PASSWORD), null).status());
    }

    @Test
    void aRobotsRefreshTokenKeepsTheRobotsProjectAndActions() {
        String project = fixture.project("robots", false);
        String other = fixture.project("other", true);
        String[] robot = fixture.robot(project, "ci", "\"pull\"");
        String refresh = (String) json(fixture.token(basic(robot[0], robot[1]), true)).get("refresh_token");
        RegistryClient.Response r = fixture.refresh(refresh, "repository:" + project + "/app:pull,push",
                "repository:" + other + "/app:pull,push", "api:v1:*");
        assertEquals(200, r.status(), r.toString());
        String scope = (String) json(r).get("scope");
        assertTrue(scope.contains("repository:" + project + "/app:pull"), scope);
        assertTrue(!scope.contains("push"), scope);
        assertEquals("ROBOT", claims(bearer(r)).get("berth_kind"));
        assertEquals(403, fixture.call("POST", "/api/v1/projects/" + project + "/robots", bearer(r), "{\"name\":\"x\"}").status());
        assertEquals(200, fixture.asAdmin("PATCH", "/api/v1/projects/" + project + "/robots/ci", "{\"disabled\":true}").status());
        assertEquals(401, fixture.refresh(refresh).status(), "a disabled robot's refresh token");
    }

    @Test
    void aRegistryTokenIsRefusedByTheAdministrationApi() {
        String registryToken = bearer(fixture.token(basic("admin", ADMIN_PASSWORD), false, "repository:library/x:pull"));
        RegistryClient.Response r = fixture.call("POST", "/api/v1/users/current/tokens", registryToken, "{\"name\":\"stolen\"}");
        assertEquals(401, r.status(), r.toString());
        assertFalse(r.header("WWW-Authenticate").isEmpty(), r.toString());
        assertEquals(401, fixture.call("GET", "/api/v1/users", registryToken, null).status());
        String apiToken = bearer(fixture.token(basic("admin", ADMIN_PASSWORD), false, "api:v1:*"));
        assertEquals(200, fixture.call("GET", "/api/v1/users", apiToken, null).status(), "a token issued for the API");
        // a refresh token is no bearer token, and an anonymous caller gets no API scope
        String refresh = (String) json(fixture.token(basic("admin", ADMIN_PASSWORD), true, "api:v1:*")).get("refresh_token");
        assertEquals(401, fixture.call("GET", "/api/v1/users", "Bearer " + refresh, null).status(), "a refresh token as bearer");
        RegistryClient.Response anonymous = fixture.token(null, false, "api:v1:*");
        assertEquals(200, anonymous.status(), anonymous.toString());
        assertEquals("", json(anonymous).get("scope"), "anonymous callers are granted no API scope");
        assertEquals(401, fixture.call("GET", "/api/v1/users/current", bearer(anonymous), null).status());
    }

    @Test
    void personalTokenLoginsDoNotResetPasswordFailures() {
        String user = fixture.user("guess");
        String pat = fixture.personalToken(user, "t", "\"pull\"");
        int guesses = 0;
        boolean throttled = false;
        for (int round = 0; round < 4 && !throttled; round++) {
            for (int i = 0; i < 4 && !throttled; i++) {
                int status = fixture.call("GET", "/v2/", basic(user, "wrong-" + guesses), null).status();
                guesses++;
                throttled = status == 429;
            }
            if (!throttled) {
                assertEquals(200, fixture.call("GET", "/v2/", basic(user, pat), null).status(), "the token logs in");
            }
        }
        assertTrue(throttled, "16 password guesses around token logins were never throttled");
        assertTrue(guesses <= 6, "throttled only after " + guesses + " guesses");
    }
}
