package org.berth.application;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.berth.auth.PasswordHasher;
import org.berth.domain.Account;
import org.berth.domain.AccountStore;
import org.berth.domain.Member;
import org.berth.domain.Page;
import org.berth.domain.PersonalToken;
import org.berth.domain.PersonalTokenStore;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.RepositoryCatalog;
import org.berth.domain.RepositoryName;
import org.berth.domain.Robot;
import org.berth.domain.RobotStore;
import org.berth.domain.Role;

/** Map-backed stores for testing the application services without a database. */
final class InMemoryStores {

    private InMemoryStores() {
    }

    /** Not a real hash: enough to see that the service hashed and compared. */
    static final class PlainHasher implements PasswordHasher {
        @Override
        public String hash(char[] password) {
            return "hashed:" + new String(password);
        }

        @Override
        public boolean matches(char[] password, String hash) {
            return hash(password).equals(hash);
        }
    }

    static final class Accounts implements AccountStore {
        final Map<String, Account> byName = new TreeMap<>();

        @Override
        public Optional<Account> find(String username) {
            return Optional.ofNullable(username == null ? null : byName.get(username));
        }

        @Override
        public List<Account> list(int offset, int limit) {
            return byName.values().stream().skip(offset).limit(limit).toList();
        }

        @Override
        public long count() {
            return byName.size();
        }

        @Override
        public boolean create(Account account) {
            if (byName.keySet().stream().anyMatch(name -> name.equalsIgnoreCase(account.username()))) {
                return false;
            }
            byName.put(account.username(), account);
            return true;
        }

        @Override
        public List<String> lockActiveSysadmins() {
            return byName.values().stream().filter(a -> a.sysadmin() && !a.disabled()).map(Account::username).toList();
        }

        @Override
        public void setPasswordHash(String username, String hash) {
            Account a = byName.get(username);
            byName.put(username, new Account(username, hash, a.sysadmin(), a.disabled(), a.createdAt(), a.credentialVersion() + 1));
        }

        @Override
        public void setSysadmin(String username, boolean sysadmin) {
            Account a = byName.get(username);
            byName.put(username, new Account(username, a.passwordHash(), sysadmin, a.disabled(), a.createdAt(), a.credentialVersion()));
        }

        @Override
        public void setDisabled(String username, boolean disabled) {
            Account a = byName.get(username);
            byName.put(username, new Account(username, a.passwordHash(), a.sysadmin(), disabled, a.createdAt(),
                    a.disabled() == disabled ? a.credentialVersion() : a.credentialVersion() + 1));
        }
    }

    static final class Projects implements ProjectStore {
        final Map<String, Project> byName = new TreeMap<>();
        final Map<String, Map<String, Role>> members = new TreeMap<>();

        @Override
        public Optional<Project> find(String name) {
            return Optional.ofNullable(byName.get(name));
        }

        private List<Project> matching(String nameContains, Collection<String> visibleTo) {
            return byName.values().stream()
                    .filter(p -> nameContains == null || p.name().contains(nameContains))
                    .filter(p -> visibleTo == null || p.isPublic() || visibleTo.contains(p.name()))
                    .toList();
        }

        @Override
        public List<Project> list(String nameContains, Collection<String> visibleTo, int offset, int limit) {
            return matching(nameContains, visibleTo).stream().skip(offset).limit(limit).toList();
        }

        @Override
        public long count(String nameContains, Collection<String> visibleTo) {
            return matching(nameContains, visibleTo).size();
        }

        @Override
        public boolean create(Project project) {
            return byName.putIfAbsent(project.name(), project) == null;
        }

        @Override
        public Optional<Project> findForUpdate(String name) {
            return find(name);
        }

        @Override
        public void setPublic(String name, boolean isPublic) {
            Project p = byName.get(name);
            byName.put(name, new Project(name, isPublic, p.createdAt()));
        }

        @Override
        public void delete(String name) {
            byName.remove(name);
            members.remove(name);
        }

        @Override
        public List<Member> members(String project) {
            return members.getOrDefault(project, Map.of()).entrySet().stream()
                    .map(e -> new Member(project, e.getKey(), e.getValue())).toList();
        }

        @Override
        public Optional<Role> role(String project, String username) {
            return Optional.ofNullable(members.getOrDefault(project, Map.of()).get(username));
        }

        @Override
        public Map<String, Role> roles(String username) {
            Map<String, Role> roles = new TreeMap<>();
            members.forEach((project, m) -> {
                if (m.containsKey(username)) {
                    roles.put(project, m.get(username));
                }
            });
            return roles;
        }

        @Override
        public void setRole(String project, String username, Role role) {
            members.computeIfAbsent(project, p -> new TreeMap<>()).put(username, role);
        }

        @Override
        public boolean removeMember(String project, String username) {
            return members.getOrDefault(project, new TreeMap<>()).remove(username) != null;
        }

        @Override
        public List<String> publicProjects() {
            return byName.values().stream().filter(Project::isPublic).map(Project::name).toList();
        }
    }

    static final class Repositories implements RepositoryCatalog {
        final Set<String> names = new HashSet<>();

        @Override
        public boolean exists(RepositoryName name) {
            return names.contains(name.value());
        }

        @Override
        public void ensureExists(RepositoryName name) {
            names.add(name.value());
        }

        @Override
        public List<RepositoryName> list(Page page, Collection<String> projects) {
            return names.stream().sorted().map(RepositoryName::new).toList();
        }

        @Override
        public boolean anyInProject(String project) {
            return names.stream().anyMatch(n -> Project.of(new RepositoryName(n)).equals(project));
        }
    }

    static final class Robots implements RobotStore {
        final Map<String, Robot> byKey = new TreeMap<>();

        @Override
        public Optional<Robot> find(String project, String name) {
            return Optional.ofNullable(byKey.get(project + "+" + name));
        }

        @Override
        public List<Robot> list(String project) {
            return byKey.values().stream().filter(r -> r.project().equals(project)).toList();
        }

        @Override
        public boolean create(Robot robot) {
            return byKey.putIfAbsent(robot.project() + "+" + robot.name(), robot) == null;
        }

        @Override
        public void setDisabled(String project, String name, boolean disabled) {
            Robot r = byKey.get(project + "+" + name);
            byKey.put(project + "+" + name,
                    new Robot(project, name, r.secretHash(), r.actions(), r.expiresAt(), disabled, r.createdAt()));
        }

        @Override
        public boolean delete(String project, String name) {
            return byKey.remove(project + "+" + name) != null;
        }
    }

    static final class Tokens implements PersonalTokenStore {
        final List<PersonalToken> rows = new ArrayList<>();

        @Override
        public Optional<PersonalToken> find(long id) {
            return rows.stream().filter(t -> t.id() == id).findFirst();
        }

        @Override
        public List<PersonalToken> list(String username) {
            return rows.stream().filter(t -> t.username().equals(username))
                    .sorted(Comparator.comparing(PersonalToken::name)).toList();
        }

        @Override
        public Optional<Long> create(PersonalToken token) {
            if (rows.stream().anyMatch(t -> t.username().equals(token.username()) && t.name().equals(token.name())
                    && !t.revoked())) {
                return Optional.empty();
            }
            long id = rows.size() + 1L;
            rows.add(new PersonalToken(id, token.username(), token.name(), token.secretHash(), token.actions(),
                    token.expiresAt(), token.revoked(), token.createdAt()));
            return Optional.of(id);
        }

        @Override
        public void setSecretHash(long id, String secretHash) {
            replace(id, t -> new PersonalToken(id, t.username(), t.name(), secretHash, t.actions(), t.expiresAt(),
                    t.revoked(), t.createdAt()));
        }

        @Override
        public boolean revoke(String username, String name) {
            Optional<PersonalToken> token = rows.stream()
                    .filter(t -> t.username().equals(username) && t.name().equals(name) && !t.revoked()).findFirst();
            token.ifPresent(t -> replace(t.id(), x -> new PersonalToken(x.id(), x.username(), x.name(), x.secretHash(),
                    x.actions(), x.expiresAt(), true, x.createdAt())));
            return token.isPresent() || rows.stream().anyMatch(t -> t.username().equals(username) && t.name().equals(name));
        }

        private void replace(long id, java.util.function.UnaryOperator<PersonalToken> change) {
            rows.replaceAll(t -> t.id() == id ? change.apply(t) : t);
        }
    }
}
