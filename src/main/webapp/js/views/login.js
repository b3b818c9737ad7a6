import * as api from '../api.js';
import {busy, el, field} from '../ui.js';

/** The sign-in form: the OAuth2 password grant of /service/token. */
export function loginView(signedIn) {
    const user = el('input', {type: 'text', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false'});
    const password = el('input', {type: 'password', name: 'password', autocomplete: 'current-password', required: true});
    const submit = el('button', {type: 'submit', class: 'primary'}, 'Sign in');
    const form = el('form', {class: 'card narrow', 'aria-labelledby': 'login-title'},
        el('h1', {id: 'login-title'}, 'Sign in to Berth'),
        field('Username', user), field('Password', password), submit);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(submit, async () => {
            await api.login(user.value.trim(), password.value);
            password.value = '';
            await signedIn();
        }, 'Sign-in failed');
    });
    return form;
}
