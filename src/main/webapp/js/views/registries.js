import * as api from '../api.js';
import {reload} from '../app.js';
import {busy, confirmAction, el, field, modal, pager, showInfo, table, time} from '../ui.js';

const PAGE_SIZE = 20;

/**
 * Registry endpoints: the upstreams of proxy-cache projects (system administrators only; the API
 * decides). Passwords are write-only: the API answers has_password, never the password.
 */
export async function registriesView(state, page = 1) {
    const results = el('div', {id: 'registry-list'});

    async function load() {
        const {data, total} = await api.list('registries', {page, page_size: PAGE_SIZE});
        results.replaceChildren(
            table('!Registry endpoints', ['Name', 'URL', 'Username', 'Password', 'Verify TLS', 'Status', 'Actions'], data.map(r => {
                const result = el('output', {class: 'ping-result', 'aria-live': 'polite'});
                return [
                    r.name, el('code', {}, r.url), r.username || el('span', {class: 'muted'}, 'none'),
                    r.has_password ? 'set' : el('span', {class: 'muted'}, 'none'),
                    r.verify_tls ? 'yes' : 'no',
                    status(r.status),
                    el('span', {class: 'buttons', 'data-registry': r.name}, registryButtons(r, result), result),
                ];
            }), 'No registry endpoints yet.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load, 'Cannot list registry endpoints'); }));
    }
    await load();

    const name = el('input', {type: 'text', name: 'name', required: true, pattern: '[a-z0-9]+(?:[._\\-][a-z0-9]+)*', autocapitalize: 'none'});
    const url = el('input', {type: 'url', name: 'url', required: true, placeholder: 'https://registry-1.docker.io'});
    const username = el('input', {type: 'text', name: 'username', autocapitalize: 'none', autocomplete: 'off'});
    const password = el('input', {type: 'password', name: 'password', autocomplete: 'new-password'});
    const verifyTls = el('input', {type: 'checkbox', id: 'new-registry-verify-tls', checked: true});
    const create = el('button', {type: 'submit', class: 'primary'}, 'Add registry');
    const form = el('form', {class: 'card', 'aria-labelledby': 'new-registry'},
        el('h2', {id: 'new-registry'}, 'New registry endpoint'),
        field('Name', name, 'Lower case letters, digits and . _ - between them.'),
        field('URL', url, 'http or https, without user name or query.'),
        field('Username (optional)', username), field('Password or token (optional)', password),
        el('div', {class: 'check'}, verifyTls, el('label', {for: verifyTls.id}, 'Verify the TLS certificate')), create);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(create, async () => {
            const body = {name: name.value.trim(), url: url.value.trim(), verify_tls: verifyTls.checked};
            if (username.value.trim()) {
                body.username = username.value.trim();
            }
            if (password.value) {
                body.password = password.value;
            }
            const registry = await api.post('registries', body);
            showInfo(`Registry endpoint ${registry.name} added.`);
            await reload();
        }, 'Cannot add the registry endpoint');
    });
    return el('section', {}, el('h1', {}, 'Registries'),
        el('p', {class: 'hint'}, 'Upstream registries that proxy-cache projects pull from.'), results, form);
}

/** The endpoint's status as the core reports it (absent until the endpoint was used). */
function status(s) {
    if (!s || !s.state) {
        return el('span', {class: 'muted'}, '–');
    }
    const badge = el('span', {class: s.state === 'ok' ? 'badge ok' : 'badge fail', 'data-state': s.state}, s.state.replace('_', ' '));
    return el('span', {},
        badge,
        s.until ? el('span', {class: 'hint'}, 'until ', time(s.until)) : null,
        s.last_error ? el('span', {class: 'hint'}, s.last_error) : null);
}

function registryButtons(r, result) {
    const path = `registries/${encodeURIComponent(r.name)}`;
    const ping = el('button', {type: 'button', class: 'secondary small', 'aria-label': `Test connection to ${r.name}`}, 'Test connection');
    ping.addEventListener('click', () => busy(ping, async () => {
        result.textContent = 'Testing…';
        result.className = 'ping-result muted';
        try {
            const answer = await api.post(`${path}/ping`);
            result.className = answer.ok ? 'ping-result ok' : 'ping-result fail';
            result.dataset.ok = String(answer.ok);
            result.textContent = answer.ok ? `ok (${answer.duration_ms} ms)` : `${answer.reason}: ${answer.message}`;
        } catch (e) {
            result.textContent = '';
            throw e;
        }
    }, `Cannot test ${r.name}`));
    const edit = el('button', {type: 'button', class: 'secondary small', 'aria-label': `Edit ${r.name}`}, 'Edit');
    edit.addEventListener('click', () => editRegistry(r));
    const remove = el('button', {type: 'button', class: 'danger small', 'aria-label': `Delete ${r.name}`}, 'Delete');
    remove.addEventListener('click', async () => {
        if (await confirmAction('Delete registry endpoint', `Delete ${r.name}? A registry that a proxy-cache project uses cannot be deleted.`)) {
            busy(remove, async () => {
                await api.del(path);
                showInfo(`Registry endpoint ${r.name} deleted.`);
                await reload();
            }, `Cannot delete ${r.name}`);
        }
    });
    return [ping, edit, remove];
}

/** Edits url, username, verify_tls; the password is sent only when typed or removed. */
async function editRegistry(r) {
    let dialog;
    const url = el('input', {type: 'url', name: 'edit_url', required: true, value: r.url});
    const username = el('input', {type: 'text', name: 'edit_username', autocapitalize: 'none', autocomplete: 'off', value: r.username || ''});
    const password = el('input', {type: 'password', name: 'edit_password', autocomplete: 'new-password'});
    const removePassword = el('input', {type: 'checkbox', id: 'edit-registry-remove-password'});
    const verifyTls = el('input', {type: 'checkbox', id: 'edit-registry-verify-tls', checked: r.verify_tls});
    const body = el('div', {},
        field('URL', url), field('Username', username, 'Empty: no user name.'),
        field('New password or token', password, r.has_password ? 'A password is set; leave empty to keep it.' : 'No password is set.'),
        r.has_password ? el('div', {class: 'check'}, removePassword, el('label', {for: removePassword.id}, 'Remove the password')) : null,
        el('div', {class: 'check'}, verifyTls, el('label', {for: verifyTls.id}, 'Verify the TLS certificate')));
    const cancel = el('button', {type: 'button', class: 'secondary', onclick: () => dialog.close_with(null)}, 'Cancel');
    const save = el('button', {type: 'button', class: 'primary', onclick: () => dialog.close_with(true)}, 'Save');
    const answer = modal(`Edit registry ${r.name}`, body, [cancel, save]);
    dialog = save.closest('dialog');
    if (!await answer) {
        return;
    }
    // only what changed; an emptied username is null (removed), like the password
    const changes = {};
    if (url.value.trim() !== r.url) {
        changes.url = url.value.trim();
    }
    if (username.value.trim() !== (r.username || '')) {
        changes.username = username.value.trim() || null;
    }
    if (verifyTls.checked !== r.verify_tls) {
        changes.verify_tls = verifyTls.checked;
    }
    if (removePassword.checked) {
        changes.password = null;
    } else if (password.value) {
        changes.password = password.value;
    }
    await busy(null, async () => {
        await api.patch(`registries/${encodeURIComponent(r.name)}`, changes);
        showInfo(`Registry endpoint ${r.name} saved.`);
        await reload();
    }, `Cannot save ${r.name}`);
}
