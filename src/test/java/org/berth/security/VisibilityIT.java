package org.berth.security;

import static org.berth.security.CredentialFixture.PASSWORD;
import static org.berth.security.CredentialFixture.basic;
import static org.berth.security.CredentialFixture.bearer;
import static org.berth.security.CredentialFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, items 11 and 12: what a client sees follows the caller. A catalog token lists what its
 * subject may pull (the same answer the project list gives); a private project answers a caller
 * without a role exactly as a project that does not exist.
 */
class VisibilityIT extends ITBase {

    private CredentialFixture fixture;
    private String secret;
    private String member;
    private String outsider;

    @BeforeEach
    void privateProjectWithAnImage() {
        fixture = new CredentialFixture(base());
        secret = fixture.project("hidden", false);
        member = fixture.user("member");
        outsider = fixture.user("outsider");
        fixture.member(secret, member, "guest");
        assertEquals(201, fixture.pushImage(basic("admin", ADMIN_PASSWORD), secret + "/app", "v1"));
    }

    /** Every repository name of the catalog, following its Link pages. */
    private List<String> catalog(String authorization) {
        List<String> names = new ArrayList<>();
        String next = "/v2/_catalog?n=1000";
        while (next != null) {
            RegistryClient.Response r = fixture.call("GET", next, authorization, null);
            assertEquals(200, r.status(), r.toString());
            @SuppressWarnings("unchecked")
            List<String> page = (List<String>) json(r).get("repositories");
            names.addAll(page);
            next = r.optionalHeader("Link").map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>'))).orElse(null);
        }
        return names;
    }

    private String catalogToken(String authorization) {
        return bearer(fixture.token(authorization, false, "registry:catalog:*"));
    }

    @Test
    void aCatalogTokenListsWhatItsSubjectMayPull() {
        String repo = secret + "/app";
        assertTrue(catalog(catalogToken(basic("admin", ADMIN_PASSWORD))).contains(repo), "a system administrator sees all");
        assertTrue(catalog(catalogToken(basic(member, PASSWORD))).contains(repo), "a member sees its project");
        assertFalse(catalog(catalogToken(basic(outsider, PASSWORD))).contains(repo), "an outsider does not");
        assertFalse(catalog(catalogToken(null)).contains(repo), "nor does an anonymous token");
        String[] robot = fixture.robot(secret, "lister", "\"pull\"");
        assertTrue(catalog(catalogToken(basic(robot[0], robot[1]))).contains(repo), "a robot sees its project");

        String publicProject = fixture.project("shown", true);
        assertEquals(201, fixture.pushImage(basic("admin", ADMIN_PASSWORD), publicProject + "/app", "v1"));
        assertTrue(catalog(catalogToken(null)).contains(publicProject + "/app"), "an anonymous token sees public repositories");
        assertTrue(catalog(catalogToken(basic(outsider, PASSWORD))).contains(publicProject + "/app"));
    }

    @Test
    void theProjectListAndTheCatalogGiveTheSameAnswer() {
        assertTrue(projectNames(basic(member, PASSWORD)).contains(secret));
        assertFalse(projectNames(basic(outsider, PASSWORD)).contains(secret));
        String[] robot = fixture.robot(secret, "viewer", "\"pull\"");
        assertTrue(projectNames(basic(robot[0], robot[1])).contains(secret), "a robot's project list holds its project");
    }

    private List<String> projectNames(String authorization) {
        RegistryClient.Response r = fixture.call("GET", "/api/v1/projects?name=" + fixture.suffix + "&page_size=100", authorization, null);
        assertEquals(200, r.status(), r.toString());
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> projects = (List<java.util.Map<String, Object>>) org.berth.support.Json.parse(r.bodyText());
        return projects.stream().map(p -> (String) p.get("name")).toList();
    }

    /** The same request for the private project and for one that does not exist must get the same answer. */
    private void answeredAlike(String authorization, String method, String pathTemplate, String body) {
        String missing = "nowhere-" + fixture.suffix;
        RegistryClient.Response hidden = fixture.call(method, pathTemplate.replace("{p}", secret), authorization, body);
        RegistryClient.Response none = fixture.call(method, pathTemplate.replace("{p}", missing), authorization, body);
        String what = method + " " + pathTemplate + " as " + (authorization == null ? "anonymous" : "an outsider");
        assertEquals(none.status(), hidden.status(), what + ": " + hidden + " / " + none);
        assertEquals(none.bodyText().replace(missing, "P"), hidden.bodyText().replace(secret, "P"), what);
        assertEquals(none.header("WWW-Authenticate").replace(missing, "P"),
                hidden.header("WWW-Authenticate").replace(secret, "P"), what);
    }

    @Test
    void aPrivateProjectAnswersACallerWithoutARoleExactlyAsAMissingOne() {
        for (String caller : new String[] {null, basic(outsider, PASSWORD)}) {
            answeredAlike(caller, "GET", "/v2/{p}/app/tags/list", null);
            answeredAlike(caller, "GET", "/v2/{p}/app/manifests/v1", null);
            answeredAlike(caller, "POST", "/v2/{p}/app/blobs/uploads/", null);
            answeredAlike(caller, "DELETE", "/v2/{p}/app/manifests/v1", null);
            answeredAlike(caller, "GET", "/api/v1/projects/{p}", null);
            answeredAlike(caller, "PATCH", "/api/v1/projects/{p}", "{\"public\":true}");
            answeredAlike(caller, "DELETE", "/api/v1/projects/{p}", null);
            answeredAlike(caller, "GET", "/api/v1/projects/{p}/repositories", null);
            answeredAlike(caller, "GET", "/api/v1/projects/{p}/members", null);
            answeredAlike(caller, "PUT", "/api/v1/projects/{p}/quota", "{\"limit_bytes\":1}");
            answeredAlike(caller, "GET", "/api/v1/repositories/{p}/app", null);
            answeredAlike(caller, "GET", "/api/v1/repositories/{p}/app/artifacts", null);
            answeredAlike(caller, "DELETE", "/api/v1/repositories/{p}/app", null);
            answeredAlike(caller, "GET", "/api/v1/audit-logs?project={p}", null);
        }
        String outsiderToken = bearer(fixture.token(basic(outsider, PASSWORD), false));
        answeredAlike(outsiderToken, "POST", "/v2/{p}/app/blobs/uploads/", null);
        answeredAlike(outsiderToken, "GET", "/v2/{p}/app/tags/list", null);
    }

    @Test
    void theTokenServiceGrantsNothingOnAPrivateProjectAsOnAMissingOne() {
        String missing = "nowhere-" + fixture.suffix;
        for (String caller : new String[] {null, basic(outsider, PASSWORD)}) {
            RegistryClient.Response hidden = fixture.token(caller, false, "repository:" + secret + "/app:pull,push");
            RegistryClient.Response none = fixture.token(caller, false, "repository:" + missing + "/app:pull,push");
            assertEquals(200, hidden.status());
            assertEquals(String.valueOf(json(none).get("scope")).replace(missing, "P"),
                    String.valueOf(json(hidden).get("scope")).replace(secret, "P"));
        }
    }
}
