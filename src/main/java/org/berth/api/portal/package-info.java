/**
 * The web portal's HTTP side: the portal itself is static HTML, CSS and JavaScript modules in
 * {@code src/main/webapp/}, served by the container's default servlet at {@code /}, and calls
 * only {@code /service/token} and {@code /api/v1}. This package adds what the static files need
 * from the server: security headers.
 */
package org.berth.api.portal;
