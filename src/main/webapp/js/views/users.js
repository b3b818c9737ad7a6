import * as api from '../api.js';
import {reload} from '../app.js';
import {busy, el, field, modal, pager, showInfo, table, time} from '../ui.js';

const PAGE_SIZE = 20;

/** User accounts (system administrators only; the API refuses everyone else). */
export async function usersView(state, page = 1) {
    const results = el('div', {id: 'user-list'});

    async function load() {
        const {data, total} = await api.list('users', {page, page_size: PAGE_SIZE});
        results.replaceChildren(
            table('!Users', ['User', 'Role', 'Status', 'Created', 'Actions'], data.map(u => [
                u.username, u.sysadmin ? 'system admin' : 'user', u.disabled ? 'disabled' : 'active', time(u.created_at),
                el('span', {class: 'buttons'}, userButtons(state, u)),
            ])),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load, 'Cannot list users'); }));
    }
    await load();

    const username = el('input', {type: 'text', name: 'username', required: true, autocapitalize: 'none', autocomplete: 'off'});
    const password = el('input', {type: 'password', name: 'password', required: true, autocomplete: 'new-password'});
    const sysadmin = el('input', {type: 'checkbox', id: 'new-user-sysadmin'});
    const create = el('button', {type: 'submit', class: 'primary'}, 'Create user');
    const form = el('form', {class: 'card', 'aria-labelledby': 'new-user'},
        el('h2', {id: 'new-user'}, 'New user'), field('Username', username), field('Password', password),
        el('div', {class: 'check'}, sysadmin, el('label', {for: 'new-user-sysadmin'}, 'System administrator')), create);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(create, async () => {
            const user = await api.post('users', {username: username.value.trim(), password: password.value, sysadmin: sysadmin.checked});
            showInfo(`User ${user.username} created.`);
            await reload();
        }, 'Cannot create the user');
    });
    return el('section', {}, el('h1', {}, 'Users'), results, form);
}

function userButtons(state, u) {
    const path = `users/${encodeURIComponent(u.username)}`;
    const toggle = el('button', {type: 'button', class: 'secondary small', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.username}`},
        u.disabled ? 'Enable' : 'Disable');
    toggle.addEventListener('click', () => busy(toggle, async () => { await api.patch(path, {disabled: !u.disabled}); await reload(); },
        `Cannot change ${u.username}`));
    const admin = el('button', {type: 'button', class: 'secondary small', 'aria-label': `${u.sysadmin ? 'Revoke system admin from' : 'Make system admin:'} ${u.username}`},
        u.sysadmin ? 'Revoke admin' : 'Make admin');
    admin.addEventListener('click', () => busy(admin, async () => { await api.patch(path, {sysadmin: !u.sysadmin}); await reload(); },
        `Cannot change ${u.username}`));
    const reset = el('button', {type: 'button', class: 'secondary small', 'aria-label': `Set a new password for ${u.username}`}, 'Set password');
    reset.addEventListener('click', () => resetPassword(u.username));
    return u.username === state.me.username ? [reset] : [toggle, admin, reset];
}

async function resetPassword(username) {
    let dialog;
    const password = el('input', {type: 'password', autocomplete: 'new-password', required: true});
    const cancel = el('button', {type: 'button', class: 'secondary', onclick: () => dialog.close_with(null)}, 'Cancel');
    const save = el('button', {type: 'button', class: 'primary', onclick: () => dialog.close_with(password.value)}, 'Set password');
    const answer = modal(`New password for ${username}`, field('New password', password), [cancel, save]);
    dialog = save.closest('dialog');
    password.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); save.click(); } });
    const value = await answer;
    if (value) {
        await busy(null, async () => {
            await api.put(`users/${encodeURIComponent(username)}/password`, {new_password: value});
            showInfo(`Password of ${username} changed.`);
        }, `Cannot set the password of ${username}`);
    }
}
