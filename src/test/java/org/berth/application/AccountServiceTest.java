package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.berth.domain.Account;
import org.berth.domain.RegistryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountServiceTest {

    private final InMemoryStores.Accounts accounts = new InMemoryStores.Accounts();
    private final AccountService service = new AccountService();

    @BeforeEach
    void wire() {
        service.accounts = accounts;
        service.passwords = new InMemoryStores.PlainHasher();
    }

    @Test
    void createStoresOnlyTheHash() {
        Account created = service.create("alice", "secret-password".toCharArray(), false);
        assertEquals("hashed:secret-password", created.passwordHash());
        assertEquals(created, accounts.find("alice").orElseThrow());
        assertFalse(created.disabled());
    }

    @Test
    void createRefusesBadNamesShortPasswordsAndDuplicates() {
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("robot$x+y", "12345678".toCharArray(), false));
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("current", "12345678".toCharArray(), false));
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("Anonymous", "12345678".toCharArray(), false));
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("bob", "short".toCharArray(), false));
        service.create("bob", "12345678".toCharArray(), false);
        assertThrows(RegistryException.Conflict.class, () -> service.create("bob", "87654321".toCharArray(), true));
    }

    @Test
    void listPagesInNameOrderWithTotal() {
        for (String name : new String[] {"c", "a", "b"}) {
            service.create(name, "12345678".toCharArray(), false);
        }
        Listing<Account> page = service.list(1, 1);
        assertEquals(3, page.total());
        assertEquals("b", page.items().get(0).username());
    }

    @Test
    void ownPasswordChangeNeedsTheOldOne() {
        service.create("carol", "old-password".toCharArray(), false);
        assertThrows(RegistryException.InvalidRequest.class,
                () -> service.changePassword("carol", "carol", null, "new-password".toCharArray()));
        assertThrows(RegistryException.InvalidRequest.class,
                () -> service.changePassword("carol", "carol", "wrong-password".toCharArray(), "new-password".toCharArray()));
        service.changePassword("carol", "carol", "old-password".toCharArray(), "new-password".toCharArray());
        assertEquals("hashed:new-password", accounts.find("carol").orElseThrow().passwordHash());
    }

    @Test
    void administratorResetsAnotherPasswordWithoutTheOldOne() {
        service.create("dave", "old-password".toCharArray(), false);
        service.changePassword("admin", "dave", null, "reset-password".toCharArray());
        assertEquals("hashed:reset-password", accounts.find("dave").orElseThrow().passwordHash());
        assertThrows(RegistryException.InvalidRequest.class,
                () -> service.changePassword("admin", "dave", null, "short".toCharArray()));
        assertThrows(RegistryException.NotFound.class,
                () -> service.changePassword("admin", "nobody", null, "reset-password".toCharArray()));
    }

    @Test
    void updateSetsOnlyTheGivenFlags() {
        service.create("erin", "12345678".toCharArray(), false);
        Account disabled = service.update("erin", true, null);
        assertTrue(disabled.disabled());
        assertFalse(disabled.sysadmin());
        Account admin = service.update("erin", null, true);
        assertTrue(admin.disabled());
        assertTrue(admin.sysadmin());
        assertThrows(RegistryException.NotFound.class, () -> service.update("nobody", true, null));
    }

    @Test
    void userNamesAreUniqueWithoutRegardToCase() {
        service.create("admin2", "12345678".toCharArray(), false);
        RegistryException refused = assertThrows(RegistryException.Conflict.class,
                () -> service.create("Admin2", "12345678".toCharArray(), false));
        assertTrue(refused.getMessage().contains("without regard to case"), refused.getMessage());
        assertEquals(1, accounts.count());
    }

    @Test
    void theLastSystemAdministratorCannotDemoteOrDisableItself() {
        service.create("root", "12345678".toCharArray(), true);
        service.create("dave", "12345678".toCharArray(), false);
        assertThrows(RegistryException.Conflict.class, () -> service.update("root", null, false));
        assertThrows(RegistryException.Conflict.class, () -> service.update("root", true, null));
        Account root = accounts.find("root").orElseThrow();
        assertTrue(root.sysadmin());
        assertFalse(root.disabled());
        // other accounts change as before, and harmless changes of root pass
        service.update("dave", true, null);
        assertTrue(service.update("root", false, true).sysadmin());
    }

    @Test
    void aSystemAdministratorMayStepDownOnceAnotherIsEnabled() {
        service.create("root", "12345678".toCharArray(), true);
        service.create("erin", "12345678".toCharArray(), true);
        service.update("erin", true, null); // disabled: does not count
        assertThrows(RegistryException.Conflict.class, () -> service.update("root", null, false));
        service.update("erin", false, null);
        assertFalse(service.update("root", null, false).sysadmin());
        assertThrows(RegistryException.Conflict.class, () -> service.update("erin", true, null));
    }
}
