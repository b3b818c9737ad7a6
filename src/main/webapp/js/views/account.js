import * as api from '../api.js';
import {reload} from '../app.js';
import {busy, confirmAction, el, field, showInfo, showSecret, table, time} from '../ui.js';

/** The signed-in user's own personal access tokens and password. */
export async function accountView(state) {
    const tokens = await api.get('users/current/tokens');
    const rows = tokens.map(t => {
        const revoke = el('button', {type: 'button', class: 'danger small', 'aria-label': `Revoke ${t.name}`, disabled: t.revoked}, 'Revoke');
        revoke.addEventListener('click', async () => {
            if (await confirmAction('Revoke token', `Revoke the token ${t.name}? Clients using it stop working.`, 'Revoke')) {
                busy(revoke, async () => { await api.del(`users/current/tokens/${encodeURIComponent(t.name)}`); await reload(); },
                    `Cannot revoke ${t.name}`);
            }
        });
        return [t.name, t.actions.join(', '), time(t.created_at), t.expires_at ? time(t.expires_at) : 'never',
            t.revoked ? 'revoked' : 'active', revoke];
    });

    const name = el('input', {type: 'text', name: 'name', required: true, autocomplete: 'off'});
    const expires = el('input', {type: 'date', name: 'expires'});
    const boxes = el('fieldset', {class: 'check-group'}, el('legend', {}, 'Actions'),
        ['pull', 'push', 'delete'].map(a => {
            const box = el('input', {type: 'checkbox', name: 'actions', value: a, id: `token-${a}`, checked: a === 'pull'});
            return el('span', {class: 'check'}, box, el('label', {for: box.id}, a));
        }));
    const create = el('button', {type: 'submit', class: 'primary'}, 'Create token');
    const form = el('form', {class: 'card', 'aria-labelledby': 'new-token'},
        el('h3', {id: 'new-token'}, 'New personal access token'), field('Name', name), boxes,
        field('Expires on (optional)', expires), create);
    form.addEventListener('submit', e => {
        e.preventDefault();
        const actions = [...form.querySelectorAll('input[name=actions]:checked')].map(b => b.value);
        busy(create, async () => {
            const token = await api.post('users/current/tokens', {
                name: name.value.trim(), actions,
                expires_at: expires.value ? new Date(expires.value + 'T23:59:59Z').toISOString() : undefined,
            });
            await showSecret(`Token ${token.name} created`, 'Token', token.token,
                `Use it as the password of docker login -u ${state.me.username}. It is shown only now; copy it.`);
            await reload();
        }, 'Cannot create the token');
    });

    const old = el('input', {type: 'password', autocomplete: 'current-password', required: true});
    const next = el('input', {type: 'password', autocomplete: 'new-password', required: true});
    const again = el('input', {type: 'password', autocomplete: 'new-password', required: true});
    const change = el('button', {type: 'submit', class: 'primary'}, 'Change password');
    const passwordForm = el('form', {class: 'card', 'aria-labelledby': 'password'},
        el('h2', {id: 'password'}, 'Password'),
        // for password managers: which account this password belongs to
        el('input', {type: 'text', name: 'username', autocomplete: 'username', value: state.me.username, hidden: true, readonly: true}),
        field('Current password', old), field('New password', next),
        field('New password again', again), change);
    passwordForm.addEventListener('submit', e => {
        e.preventDefault();
        if (next.value !== again.value) {
            again.setCustomValidity('The two new passwords differ.');
            again.reportValidity();
            again.addEventListener('input', () => again.setCustomValidity(''), {once: true});
            return;
        }
        busy(change, async () => {
            await api.put(`users/${encodeURIComponent(state.me.username)}/password`, {old_password: old.value, new_password: next.value});
            passwordForm.reset();
            showInfo('Password changed.');
        }, 'Cannot change the password');
    });

    return el('section', {}, el('h1', {}, `My account: ${state.me.username}`),
        el('h2', {}, 'Personal access tokens'),
        table('!Personal access tokens', ['Name', 'Actions', 'Created', 'Expires', 'Status', 'Manage'], rows, 'No tokens yet.'),
        form, passwordForm);
}
