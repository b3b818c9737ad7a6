package org.berth.application.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.berth.application.SecretBox;
import org.berth.domain.RegistryException;
import org.berth.domain.proxy.RegistryEndpoint;
import org.berth.domain.proxy.RegistryEndpointStore;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryEndpointServiceTest {

    /** Map-backed, keeping what it was given to seal, as the table would. */
    static final class Endpoints implements RegistryEndpointStore {
        final Map<String, RegistryEndpoint> rows = new TreeMap<>();
        final Map<String, String> sealed = new TreeMap<>();
        boolean inUse;

        @Override
        public Optional<RegistryEndpoint> find(String name) {
            return Optional.ofNullable(rows.get(name));
        }

        @Override
        public Optional<String> sealedPassword(String name) {
            return Optional.ofNullable(sealed.get(name));
        }

        @Override
        public List<RegistryEndpoint> list(int offset, int limit) {
            return new ArrayList<>(rows.values()).stream().skip(offset).limit(limit).toList();
        }

        @Override
        public long count() {
            return rows.size();
        }

        @Override
        public boolean create(RegistryEndpoint endpoint, Optional<String> sealedPassword) {
            if (rows.containsKey(endpoint.name())) {
                return false;
            }
            return update0(endpoint, sealedPassword);
        }

        @Override
        public Optional<RegistryEndpoint> update(RegistryEndpoint endpoint, Optional<String> sealedPassword) {
            return rows.containsKey(endpoint.name()) && update0(endpoint, sealedPassword)
                    ? find(endpoint.name()) : Optional.empty();
        }

        private boolean update0(RegistryEndpoint e, Optional<String> sealedPassword) {
            rows.put(e.name(), new RegistryEndpoint(e.name(), e.url(), e.username(), sealedPassword.isPresent(),
                    e.verifyTls(), e.createdAt()));
            sealedPassword.ifPresentOrElse(s -> sealed.put(e.name(), s), () -> sealed.remove(e.name()));
            return true;
        }

        @Override
        public boolean delete(String name) {
            sealed.remove(name);
            return rows.remove(name) != null;
        }

        @Override
        public boolean inUse(String name) {
            return inUse;
        }
    }

    /** Reversible and visibly not the password; refuses a value sealed for another context. */
    static final class ToyBox implements SecretBox {
        @Override
        public String seal(String secret, String context) {
            return "sealed(" + context + "):" + new StringBuilder(secret).reverse();
        }

        @Override
        public String open(String sealed, String context) {
            String prefix = "sealed(" + context + "):";
            if (!sealed.startsWith(prefix)) {
                throw new RegistryException.Unavailable("cannot open: BERTH_SECRET_KEY");
            }
            return new StringBuilder(sealed.substring(prefix.length())).reverse().toString();
        }
    }

    private final Endpoints store = new Endpoints();
    private final List<RemoteRegistry> pinged = new ArrayList<>();
    private RemoteFailure failure;
    private final RegistryEndpointService service = new RegistryEndpointService();

    @BeforeEach
    void wire() {
        service.endpoints = store;
        service.secrets = new ToyBox();
        service.probe = r -> {
            pinged.add(r);
            if (failure != null) {
                throw failure;
            }
        };
    }

    @Test
    void createSealsThePasswordAndShowsOnlyThatThereIsOne() {
        RegistryEndpoint hub = service.create("hub", "https://registry-1.docker.io/", Optional.of("u"), Optional.of("pw-1"), true);
        assertEquals("https://registry-1.docker.io", hub.url().toString());
        assertTrue(hub.hasPassword());
        assertEquals("sealed(registry_endpoint/hub):1-wp", store.sealed.get("hub"));
        assertFalse(hub.toString().contains("pw-1"));
        RemoteRegistry connection = service.connection("hub");
        assertEquals(Optional.of("pw-1"), connection.password());
        assertEquals(Optional.of("u"), connection.username());
        assertFalse(connection.toString().contains("pw-1"), connection.toString());
    }

    @Test
    void emptyCredentialsAreNone() {
        RegistryEndpoint anonymous = service.create("anon", "http://127.0.0.1:5000", Optional.of(""), Optional.of(""), false);
        assertEquals(Optional.empty(), anonymous.username());
        assertFalse(anonymous.hasPassword());
        assertTrue(store.sealed.isEmpty());
        assertEquals(Optional.empty(), service.connection("anon").password());
    }

    @Test
    void createRefuses() {
        service.create("hub", "https://a.example", Optional.empty(), Optional.empty(), true);
        assertThrows(RegistryException.Conflict.class,
                () -> service.create("hub", "https://b.example", Optional.empty(), Optional.empty(), true));
        assertThrows(RegistryException.InvalidRequest.class,
                () -> service.create("Hub", "https://b.example", Optional.empty(), Optional.empty(), true));
        assertThrows(RegistryException.InvalidRequest.class,
                () -> service.create("b", "https://u:p@b.example", Optional.empty(), Optional.empty(), true));
        assertThrows(RegistryException.InvalidRequest.class,
                () -> service.create("b", "https://b.example", Optional.of("a:b"), Optional.empty(), true));
        assertEquals(1, store.count());
    }

    @Test
    void updateChangesWhatItSetsAndKeepsTheRest() {
        RegistryEndpoint hub = service.create("hub", "https://a.example", Optional.of("u"), Optional.of("pw-1"), true);
        RegistryEndpoint changed = service.update("hub", new RegistryEndpointUpdate(Optional.of("https://b.example/"),
                Optional.empty(), Optional.empty(), Optional.of(false)));
        assertEquals("https://b.example", changed.url().toString());
        assertEquals(Optional.of("u"), changed.username());
        assertTrue(changed.hasPassword());
        assertFalse(changed.verifyTls());
        assertEquals(hub.createdAt(), changed.createdAt());
        assertEquals("pw-1", service.connection("hub").password().orElseThrow());

        service.update("hub", new RegistryEndpointUpdate(Optional.empty(), Optional.empty(), Optional.of("pw-2"), Optional.empty()));
        assertEquals("pw-2", service.connection("hub").password().orElseThrow());

        RegistryEndpoint cleared = service.update("hub", new RegistryEndpointUpdate(Optional.empty(), Optional.of(""),
                Optional.of(""), Optional.empty()));
        assertEquals(Optional.empty(), cleared.username());
        assertFalse(cleared.hasPassword());
        assertTrue(store.sealed.isEmpty());
        assertThrows(RegistryException.NotFound.class, () -> service.update("nope",
                new RegistryEndpointUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())));
    }

    @Test
    void deleteRefusesAnEndpointInUse() {
        service.create("hub", "https://a.example", Optional.empty(), Optional.empty(), true);
        store.inUse = true;
        assertThrows(RegistryException.Conflict.class, () -> service.delete("hub"));
        store.inUse = false;
        service.delete("hub");
        assertThrows(RegistryException.NotFound.class, () -> service.delete("hub"));
        assertThrows(RegistryException.NotFound.class, () -> service.get("hub"));
    }

    @Test
    void aSealedPasswordTheKeyCannotOpenIsACleanError() {
        service.create("hub", "https://a.example", Optional.of("u"), Optional.of("pw-1"), true);
        store.sealed.put("hub", store.sealed.get("hub").replace("/hub", "/other"));
        RegistryException.Unavailable e = assertThrows(RegistryException.Unavailable.class, () -> service.connection("hub"));
        assertTrue(e.getMessage().contains("BERTH_SECRET_KEY"));
        assertThrows(RegistryException.Unavailable.class, () -> service.ping("hub"));
    }

    @Test
    void pingUsesTheConnectionAndReportsAFailureAsAResult() {
        service.create("hub", "http://127.0.0.1:9", Optional.of("u"), Optional.of("pw-1"), true);
        PingResult ok = service.ping("hub");
        assertTrue(ok.ok());
        assertFalse(ok.duration().isNegative());
        assertEquals(Optional.of("pw-1"), pinged.get(0).password());

        failure = new RemoteFailure(RemoteFailure.Reason.AUTH, 401, "GET /v2/ answered 401", Optional.empty());
        PingResult refused = service.ping("hub");
        assertFalse(refused.ok());
        assertEquals(Optional.of(RemoteFailure.Reason.AUTH), refused.failure());
        assertEquals(Optional.of("GET /v2/ answered 401"), refused.message());
        assertTrue(refused.duration().compareTo(Duration.ZERO) >= 0);
        assertThrows(RegistryException.NotFound.class, () -> service.ping("nope"));
    }

    @Test
    void updatesDoNotShowThePasswordInTheirText() {
        assertFalse(new RegistryEndpointUpdate(Optional.empty(), Optional.empty(), Optional.of("pw-9"), Optional.empty())
                .toString().contains("pw-9"));
    }
}
