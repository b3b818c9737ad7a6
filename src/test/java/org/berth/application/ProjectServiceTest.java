package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.berth.auth.AccessController;
import org.berth.auth.Identity;
import org.berth.auth.Privilege;
import org.berth.domain.Account;
import org.berth.domain.Action;
import org.berth.domain.Member;
import org.berth.domain.Project;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectServiceTest {

    private final InMemoryStores.Accounts accounts = new InMemoryStores.Accounts();
    private final InMemoryStores.Projects projects = new InMemoryStores.Projects();
    private final InMemoryStores.Repositories repositories = new InMemoryStores.Repositories();
    private final ProjectService service = new ProjectService();

    /**
     * Sysadmins may do anything; others may read a project they are a member of, and see those
     * (the store adds the public ones). A proxy, so that only {@code check} and
     * {@code visibleProjects} are implemented and the other methods' signatures do not matter here.
     */
    private final AccessController access = (AccessController) Proxy.newProxyInstance(
            AccessController.class.getClassLoader(), new Class<?>[] {AccessController.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "check" -> {
                        check((Identity) args[0], (Privilege) args[1], (String) args[2]);
                        return null;
                    }
                    case "visibleProjects" -> {
                        Identity viewer = (Identity) args[0];
                        return viewer.sysadmin() ? null
                                : viewer.username() == null ? Set.of() : projects.roles(viewer.username()).keySet();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
            });

    private void check(Identity identity, Privilege privilege, String target) {
        if (identity.sysadmin()) {
            return;
        }
        if (privilege == Privilege.PROJECT_READ && identity.username() != null
                && projects.role(target, identity.username()).isPresent()) {
            return;
        }
        throw new RegistryException.Denied("no");
    }

    @BeforeEach
    void wire() {
        service.accounts = accounts;
        service.projects = projects;
        service.repositories = repositories;
        service.accessController = access;
        for (String name : new String[] {"alice", "bob"}) {
            accounts.create(new Account(name, "h", false, false, Instant.EPOCH));
        }
    }

    private static Identity user(String name, boolean sysadmin) {
        return new Identity(Identity.Kind.USER, name, sysadmin, null, EnumSet.allOf(Action.class));
    }

    @Test
    void creatorBecomesProjectAdmin() {
        service.create("team-a", false, "alice");
        assertEquals(List.of(new Member("team-a", "alice", Role.PROJECT_ADMIN)), service.members("team-a"));
    }

    @Test
    void createRefusesBadNamesAndDuplicates() {
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("Team", true, "alice"));
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("a/b", true, "alice"));
        service.create("dup", true, "alice");
        assertThrows(RegistryException.Conflict.class, () -> service.create("dup", false, "bob"));
    }

    @Test
    void listShowsPublicProjectsAndMemberships() {
        service.create("open", true, "alice");
        service.create("mine", false, "bob");
        service.create("theirs", false, "alice");
        assertEquals(List.of("mine", "open"), names(service.list(user("bob", false), null, 0, 10)));
        assertEquals(List.of("mine", "open", "theirs"), names(service.list(user("root", true), null, 0, 10)));
        assertEquals(List.of("open"), names(service.list(Identity.ANONYMOUS, null, 0, 10)));
        Listing<Project> filtered = service.list(user("root", true), "n", 0, 1);
        assertEquals(List.of("mine"), names(filtered));
        assertEquals(2, filtered.total());
    }

    private static List<String> names(Listing<Project> listing) {
        return listing.items().stream().map(Project::name).toList();
    }

    @Test
    void deleteOnlyWhenEmpty() {
        service.create("full", true, "alice");
        repositories.ensureExists(RepositoryName.parse("full/app"));
        assertThrows(RegistryException.Conflict.class, () -> service.delete("full"));
        service.create("empty", true, "alice");
        service.delete("empty");
        assertThrows(RegistryException.NotFound.class, () -> service.get("empty"));
    }

    @Test
    void members() {
        service.create("m", false, "alice");
        service.addMember("m", "bob", Role.GUEST);
        assertThrows(RegistryException.Conflict.class, () -> service.addMember("m", "bob", Role.DEVELOPER));
        assertThrows(RegistryException.NotFound.class, () -> service.addMember("m", "nobody", Role.GUEST));
        assertEquals(Role.MAINTAINER, service.changeRole("m", "bob", Role.MAINTAINER).role());
        service.removeMember("m", "bob");
        assertThrows(RegistryException.NotFound.class, () -> service.removeMember("m", "bob"));
        assertThrows(RegistryException.NotFound.class, () -> service.changeRole("m", "bob", Role.GUEST));
        assertEquals(Set.of("alice"), Set.copyOf(service.members("m").stream().map(Member::username).toList()));
    }

    @Test
    void libraryCannotBeDeleted() {
        service.create(Project.LIBRARY, true, null);
        RegistryException refused = assertThrows(RegistryException.Conflict.class, () -> service.delete(Project.LIBRARY));
        assertTrue(refused.getMessage().contains("cannot be deleted"), refused.getMessage());
        assertEquals(Project.LIBRARY, service.get(Project.LIBRARY).name());
    }

    @Test
    void theLastProjectAdminCannotBeDemotedOrRemoved() {
        service.create("solo", false, "alice");
        service.addMember("solo", "bob", Role.MAINTAINER);
        assertThrows(RegistryException.Conflict.class, () -> service.changeRole("solo", "alice", Role.DEVELOPER));
        assertThrows(RegistryException.Conflict.class, () -> service.removeMember("solo", "alice"));
        assertEquals(Role.PROJECT_ADMIN, projects.role("solo", "alice").orElseThrow());
        // others come and go as before
        service.changeRole("solo", "bob", Role.GUEST);
        service.removeMember("solo", "bob");
    }

    @Test
    void aProjectAdminMayLeaveOnceAnotherMemberIsProjectAdmin() {
        service.create("pair", false, "alice");
        service.addMember("pair", "bob", Role.PROJECT_ADMIN);
        service.changeRole("pair", "alice", Role.GUEST);
        assertThrows(RegistryException.Conflict.class, () -> service.removeMember("pair", "bob"));
        service.changeRole("pair", "alice", Role.PROJECT_ADMIN);
        service.removeMember("pair", "bob");
        assertEquals(List.of(new Member("pair", "alice", Role.PROJECT_ADMIN)), service.members("pair"));
    }
}
