package org.berth.auth;

/**
 * A CDI event fired by the {@link AccessController}: credentials were checked. A success is a
 * login only when a token is issued for them (the token service); Basic credentials sent with each
 * /v2 or /api request are checked every time and are not logins. Refresh tokens are not logins
 * either. Every refusal of a username and password (or a locked-out account) is a failed login.
 *
 * @param identity      who logged in; null for a failure
 * @param username      the name that was tried (for a success, the identity's name)
 * @param sourceAddress the client's address, may be null
 * @param success       whether the credentials were accepted
 * @param detail        why they were not, or null
 */
public record LoginAttempt(Identity identity, String username, String sourceAddress, boolean success, String detail) {
}
