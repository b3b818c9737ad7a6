// The portal's only way to the server: /service/token for the session, /api/v1 for everything else.
// The access and refresh tokens live in this module's variables only: never in localStorage,
// sessionStorage, cookies or URLs. A reload therefore signs the user out.

const API = '/api/v1/';
// Tokens of the token service are for /v2 unless asked for the administration API as well.
const API_SCOPE = 'api:v1:*';

let session = null; // {username, access, refresh, expiresAt, lifetimeMs}
let refreshing = null; // the one refresh in flight
let onSignedOut = () => {};

/** An API failure: HTTP status plus the first OCI error {code, message, detail}. */
export class ApiError extends Error {
    constructor(status, code, message, detail) {
        super(message);
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    /** What the user reads: the OCI error code, its message and a string detail. */
    describe() {
        let text = `${this.message} (${this.code}, HTTP ${this.status})`;
        if (typeof this.detail === 'string' && this.detail && !this.message.includes(this.detail)) {
            text += `: ${this.detail}`;
        }
        return text;
    }
}

export function signedIn() {
    return session !== null;
}

export function username() {
    return session ? session.username : null;
}

/** Called when the session ends on its own (refresh refused): the app shows the login screen. */
export function whenSignedOut(callback) {
    onSignedOut = callback;
}

async function tokenRequest(form) {
    const body = new URLSearchParams(form);
    body.append('scope', API_SCOPE);
    let response;
    try {
        response = await fetch('/service/token', {
            method: 'POST',
            // 'omit': a 401 with a Basic challenge must not open the browser's own login prompt
            credentials: 'omit',
            cache: 'no-store',
            headers: {'Content-Type': 'application/x-www-form-urlencoded'},
            body,
        });
    } catch (e) {
        throw new ApiError(0, 'NETWORK', 'The server cannot be reached: ' + e.message, null);
    }
    if (!response.ok) {
        throw await errorOf(response);
    }
    return response.json();
}

function remember(username, answer, refresh) {
    const lifetimeMs = Math.max(1, Number(answer.expires_in) || 60) * 1000;
    session = {
        username,
        access: answer.access_token || answer.token,
        refresh: answer.refresh_token || refresh,
        expiresAt: Date.now() + lifetimeMs,
        lifetimeMs,
    };
}

/** Signs in with the OAuth2 password grant; asks for a refresh token (access_type=offline). */
export async function login(user, password) {
    const answer = await tokenRequest({
        grant_type: 'password', username: user, password, access_type: 'offline',
    });
    remember(user, answer, null);
}

export function logout() {
    session = null;
    refreshing = null;
}

/**
 * A new access token from the refresh token; scopes (e.g. repository:a/b:pull,push,delete) make
 * the token service tell which of them the account holds. Answers the granted scope string.
 */
export async function refresh(scopes = []) {
    if (!session) {
        throw new ApiError(401, 'UNAUTHORIZED', 'You are signed out.', null);
    }
    const current = session;
    const form = new URLSearchParams({grant_type: 'refresh_token', refresh_token: current.refresh});
    scopes.forEach(s => form.append('scope', s));
    try {
        const answer = await tokenRequest(form);
        if (session === current) {
            remember(current.username, answer, current.refresh);
        }
        return answer.scope || '';
    } catch (e) {
        if (e.status === 401 && session === current) {
            session = null;
            onSignedOut('Your session has ended; please sign in again.');
        }
        throw e;
    }
}

function refreshOnce() {
    if (!refreshing) {
        refreshing = refresh().finally(() => { refreshing = null; });
    }
    return refreshing;
}

/** Refresh when less than a quarter of the lifetime (at most 30 s) is left. */
async function freshToken() {
    const margin = Math.min(30000, session.lifetimeMs / 4);
    if (Date.now() > session.expiresAt - margin) {
        await refreshOnce();
    }
    return session.access;
}

async function errorOf(response) {
    let body = null;
    try {
        body = await response.json();
    } catch (e) {
        // not JSON: described by the status below
    }
    const error = body && Array.isArray(body.errors) && body.errors[0];
    if (error) {
        return new ApiError(response.status, error.code || 'UNKNOWN', error.message || response.statusText, error.detail);
    }
    return new ApiError(response.status, 'HTTP_' + response.status, `The server answered ${response.status} ${response.statusText}`, null);
}

/** Encodes each segment of a path that may hold slashes (repository names). */
export function segments(path) {
    return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Calls /api/v1/{path}. Answers {data, total} (total from X-Total-Count, data null for 204).
 * On a 401 the access token is refreshed once and the call repeated.
 */
export async function call(method, path, body, query) {
    if (!session) {
        throw new ApiError(401, 'UNAUTHORIZED', 'You are signed out.', null);
    }
    let url = API + path;
    if (query) {
        const params = new URLSearchParams();
        Object.entries(query).forEach(([k, v]) => {
            if (v !== undefined && v !== null && v !== '') {
                params.set(k, v);
            }
        });
        const q = params.toString();
        if (q) {
            url += '?' + q;
        }
    }
    for (let attempt = 0; ; attempt++) {
        const token = await freshToken();
        const headers = {'Authorization': 'Bearer ' + token, 'Accept': 'application/json'};
        const init = {method, headers, credentials: 'omit', cache: 'no-store'};
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        let response;
        try {
            response = await fetch(url, init);
        } catch (e) {
            throw new ApiError(0, 'NETWORK', 'The server cannot be reached: ' + e.message, null);
        }
        if (response.status === 401 && attempt === 0 && session) {
            await refreshOnce();
            continue;
        }
        if (!response.ok) {
            throw await errorOf(response);
        }
        const total = response.headers.get('X-Total-Count');
        const text = response.status === 204 ? '' : await response.text();
        return {data: text ? JSON.parse(text) : null, total: total === null ? null : Number(total)};
    }
}

export const get = (path, query) => call('GET', path, undefined, query).then(r => r.data);
export const list = (path, query) => call('GET', path, undefined, query);
export const post = (path, body) => call('POST', path, body).then(r => r.data);
export const put = (path, body) => call('PUT', path, body).then(r => r.data);
export const patch = (path, body) => call('PATCH', path, body).then(r => r.data);
export const del = path => call('DELETE', path).then(r => r.data);

/** The repository actions (pull, push, delete) the token service grants this account. */
export async function repositoryActions(repository) {
    const scope = await refresh([`repository:${repository}:pull,push,delete`]);
    const entry = scope.split(' ').find(s => s.startsWith(`repository:${repository}:`));
    return new Set(entry ? entry.substring(`repository:${repository}:`.length).split(',').filter(Boolean) : []);
}
