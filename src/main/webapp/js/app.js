// The portal: a hash router over the screens in views/. Routes (no secrets in them):
//   #/projects  #/projects/P[/repositories|policies|members|robots|webhooks[/ID]|audit|settings]  #/repositories/NAME
//   #/users  #/account  #/audit  #/gc  #/registries  #/replication[/RULE[/EXECUTION]]
//   (the login screen shows whenever there is no session)
import * as api from './api.js';
import {clearMessages, el, showError, showInfo} from './ui.js';
import {loginView} from './views/login.js';
import {projectsView} from './views/projects.js';
import {projectView} from './views/project.js';
import {repositoryView} from './views/repository.js';
import {usersView} from './views/users.js';
import {accountView} from './views/account.js';
import {auditView} from './views/audit.js';
import {gcView} from './views/gc.js';
import {registriesView} from './views/registries.js';
import {replicationView} from './views/replication.js';

/** What the app knows about the signed-in account: {username, sysadmin}. */
const state = {me: null};

const main = () => document.getElementById('main');

function route() {
    const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
    const parts = hash.split('/').filter(Boolean);
    if (parts[0] === 'projects' && parts[1]) {
        return {view: projectView, args: [parts[1], parts[2] || 'repositories', parts[3]], nav: 'projects'};
    }
    if (parts[0] === 'repositories' && parts.length > 1) {
        return {view: repositoryView, args: [parts.slice(1).join('/')], nav: 'projects'};
    }
    if (parts[0] === 'users' && state.me.sysadmin) {
        return {view: usersView, args: [], nav: 'users'};
    }
    if (parts[0] === 'account') {
        return {view: accountView, args: [], nav: 'account'};
    }
    if (parts[0] === 'audit') {
        return {view: auditView, args: [], nav: 'audit'};
    }
    if (parts[0] === 'gc' && state.me.sysadmin) {
        return {view: gcView, args: [], nav: 'gc'};
    }
    if (parts[0] === 'registries' && state.me.sysadmin) {
        return {view: registriesView, args: [], nav: 'registries'};
    }
    if (parts[0] === 'replication' && state.me.sysadmin) {
        return {view: replicationView, args: [parts[1], parts[2]], nav: 'replication'};
    }
    return {view: projectsView, args: [], nav: 'projects'};
}

let renderCount = 0;

async function render() {
    const mine = ++renderCount;
    if (!api.signedIn()) {
        showChrome(false);
        main().replaceChildren(loginView(signedIn));
        main().querySelector('input').focus();
        return;
    }
    const {view, args, nav} = route();
    document.querySelectorAll('#nav a').forEach(a => {
        if (a.dataset.nav === nav) {
            a.setAttribute('aria-current', 'page');
        } else {
            a.removeAttribute('aria-current');
        }
    });
    const container = el('div', {class: 'view', 'aria-busy': 'true'}, el('p', {class: 'muted'}, 'Loading…'));
    main().replaceChildren(container);
    try {
        const content = await view(state, ...args);
        if (mine === renderCount) {
            container.replaceChildren(content);
            container.removeAttribute('aria-busy');
            const heading = container.querySelector('h1');
            document.title = heading ? `${heading.textContent} – Berth` : 'Berth';
        }
    } catch (e) {
        if (mine === renderCount) {
            container.replaceChildren(el('h1', {}, 'Cannot show this page'), el('p', {}, 'See the message above.'));
            container.removeAttribute('aria-busy');
            showError(e);
        }
    }
}

function showChrome(on) {
    document.getElementById('nav').hidden = !on;
    document.getElementById('logout').hidden = !on;
    document.getElementById('who').textContent = on && state.me
        ? `${state.me.username}${state.me.sysadmin ? ' (system admin)' : ''}` : '';
    document.querySelectorAll('[data-nav=users], [data-nav=audit], [data-nav=gc], [data-nav=registries], [data-nav=replication]').forEach(a => { a.hidden = !(on && state.me && state.me.sysadmin); });
}

async function signedIn() {
    clearMessages();
    state.me = await api.get('users/current');
    showChrome(true);
    if (!location.hash || location.hash === '#/' || location.hash === '#/login') {
        location.hash = '#/projects';
    } else {
        render();
    }
    main().focus();
}

function signOut(message) {
    api.logout();
    state.me = null;
    clearMessages();
    if (message) {
        showInfo(message);
    }
    render();
}

document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('logout').addEventListener('click', () => {
        history.replaceState(null, '', location.pathname); // the next person starts at the project list
        signOut('You are signed out.');
    });
    api.whenSignedOut(message => signOut(message));
    window.addEventListener('hashchange', () => {
        clearMessages();
        render().then(() => main().focus({preventScroll: true}));
    });
    render();
});

/** Lets a view re-render the current route after a change. */
export function reload() {
    return render();
}
