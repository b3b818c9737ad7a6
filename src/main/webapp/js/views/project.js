import * as api from '../api.js';
import {reload} from '../app.js';
import {busy, bytes, confirmAction, count, el, field, pager, showInfo, showSecret, table, time} from '../ui.js';
import {auditTable} from './audit.js';
import {policies} from './policies.js';
import {upstream} from './projects.js';
import {webhooks} from './webhooks.js';

const ROLES = ['project_admin', 'maintainer', 'developer', 'guest'];
const ACTIONS = ['pull', 'push', 'delete'];
const PAGE_SIZE = 20;

/**
 * One project: summary and quota, then a tab. Members, robots, webhooks, audit and settings are
 * offered to those the API lets read the members (project admins and system admins); the API
 * still decides every call. sub is what the tab shows inside it (a webhook's id: its deliveries).
 */
export async function projectView(state, name, tab, sub) {
    const project = await api.get(`projects/${encodeURIComponent(name)}`);
    let admin = state.me.sysadmin;
    if (!admin) {
        try {
            await api.get(`projects/${encodeURIComponent(name)}/members`);
            admin = true;
        } catch (e) {
            if (e.status !== 403 && e.status !== 404) {
                throw e;
            }
        }
    }
    // maintainers read the policies (the API answers 403 below that); project admins change them
    let maintainer = admin;
    if (!maintainer) {
        try {
            await api.get(`projects/${encodeURIComponent(name)}/retention`);
            maintainer = true;
        } catch (e) {
            if (e.status !== 403 && e.status !== 404) {
                throw e;
            }
        }
    }
    const tabs = [['repositories', 'Repositories']];
    if (maintainer) {
        tabs.push(['policies', 'Policies']);
    }
    if (admin) {
        tabs.push(['members', 'Members'], ['robots', 'Robot accounts'], ['webhooks', 'Webhooks'], ['audit', 'Audit'], ['settings', 'Settings']);
    }
    if (!tabs.some(([id]) => id === tab)) {
        tab = 'repositories';
    }
    const base = `#/projects/${encodeURIComponent(name)}`;
    const tabNav = el('nav', {class: 'tabs', 'aria-label': 'Project sections'},
        tabs.map(([id, label]) => el('a', {href: `${base}/${id}`, 'aria-current': id === tab ? 'page' : null}, label)));
    const views = {repositories, members, robots, webhooks, audit, settings, policies: (st, p) => policies(st, p, admin)};
    return el('section', {},
        el('p', {class: 'crumbs'}, el('a', {href: '#/projects'}, 'Projects'), ' / '),
        el('h1', {}, project.name, ' ', el('span', {class: project.public ? 'badge public' : 'badge private'}, project.public ? 'public' : 'private')),
        project.registry ? el('p', {class: 'upstream'}, upstream(project),
            el('span', {class: 'tag-ttl'}, ` · tags re-checked upstream after ${project.tag_ttl_seconds} s`)) : null,
        await usage(state, name),
        tabNav,
        el('div', {class: 'tab-panel'}, await views[tab](state, project, sub)));
}

/** Counts and the quota bar: physical bytes (distinct blobs, what the limit counts) and logical bytes. */
async function usage(state, name) {
    const box = el('div', {class: 'card usage', 'aria-label': 'Storage'});
    try {
        const [summary, quota] = await Promise.all([
            api.get(`projects/${encodeURIComponent(name)}/summary`),
            api.get(`projects/${encodeURIComponent(name)}/quota`)]);
        const limited = quota.limit_bytes >= 0;
        // against the limit; without one, the two bars compare logical and physical usage
        const scale = limited ? quota.limit_bytes : Math.max(quota.logical_bytes, quota.physical_bytes);
        const percent = used => (scale > 0 ? Math.min(100, 100 * used / scale) : 0);
        const bar = (label, used, cls) => {
            const fill = el('span', {class: `fill ${cls}`});
            fill.style.width = `${percent(used)}%`; // CSSOM, allowed by the style-src CSP
            return el('div', {class: 'bar-row'},
                el('span', {class: 'bar-label'}, label),
                el('span', {class: 'bar', role: 'img', 'aria-label': `${label}: ${bytes(used)}${limited ? ' of ' + bytes(quota.limit_bytes) : ''}`}, fill),
                el('span', {class: 'bar-value'}, `${bytes(used)}${limited ? ' / ' + bytes(quota.limit_bytes) : ''}`));
        };
        box.append(
            el('p', {class: 'counts'},
                el('span', {}, count(summary.repository_count, 'repository', 'repositories')),
                el('span', {}, count(summary.artifact_count, 'artifact')),
                el('span', {}, count(summary.tag_count, 'tag')),
                el('span', {}, limited ? `quota ${bytes(quota.limit_bytes)}` : 'no quota (unlimited)')),
            bar('Physical (distinct blobs, counts against the quota)', quota.physical_bytes, 'physical'),
            bar('Logical (sum over artifacts)', quota.logical_bytes, 'logical'));
        if (state.me.sysadmin) {
            box.append(quotaForm(name, quota));
        }
    } catch (e) {
        box.append(el('p', {class: 'inline-error'}, `Storage usage unavailable: ${e.describe ? e.describe() : e.message}`));
    }
    return box;
}

function quotaForm(name, quota) {
    const limit = el('input', {type: 'number', min: '-1', step: '1', name: 'limit', value: quota.limit_bytes >= 0 ? Math.round(quota.limit_bytes / 1048576) : -1});
    const save = el('button', {type: 'submit', class: 'secondary'}, 'Set quota');
    const form = el('form', {class: 'inline'}, field('Quota in MiB (-1 = unlimited)', limit), save);
    form.addEventListener('submit', e => {
        e.preventDefault();
        const mib = Number(limit.value);
        busy(save, async () => {
            await api.put(`projects/${encodeURIComponent(name)}/quota`, {limit_bytes: mib < 0 ? -1 : Math.round(mib * 1048576)});
            showInfo('Quota saved.');
            await reload();
        }, 'Cannot set the quota');
    });
    return form;
}

async function repositories(state, project) {
    const results = el('div', {id: 'repository-list'});
    const q = el('input', {type: 'search', name: 'q', placeholder: 'part of a name'});
    const sort = el('select', {name: 'sort'},
        el('option', {value: 'name'}, 'Name A–Z'), el('option', {value: '-name'}, 'Name Z–A'),
        el('option', {value: '-last_push'}, 'Newest push first'), el('option', {value: 'last_push'}, 'Oldest push first'));
    let page = 1;

    async function load() {
        const {data, total} = await api.list(`projects/${encodeURIComponent(project.name)}/repositories`,
            {page, page_size: PAGE_SIZE, q: q.value.trim(), sort: sort.value});
        results.replaceChildren(
            table('!Repositories', ['Repository', 'Artifacts', 'Tags', 'Pulls', 'Last push'], data.map(r => [
                el('a', {href: `#/repositories/${r.name}`}, r.name),
                String(r.artifact_count), String(r.tag_count), String(r.pull_count), time(r.last_push_at),
            ]), q.value ? 'No repository matches.' : project.registry
                ? `Nothing cached yet: docker pull ${location.host}/${project.name}/REPOSITORY:TAG pulls REPOSITORY:TAG from ${project.registry}`
                : `No repositories yet: docker push ${location.host}/${project.name}/NAME:TAG`),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load); }));
    }

    const form = el('form', {role: 'search', class: 'inline'}, field('Search repositories', q), field('Sort', sort),
        el('button', {type: 'submit', class: 'secondary'}, 'Apply'));
    form.addEventListener('submit', e => { e.preventDefault(); page = 1; busy(null, load, 'Cannot list repositories'); });
    sort.addEventListener('change', () => { page = 1; busy(null, load, 'Cannot list repositories'); });
    await load();
    return el('div', {}, el('h2', {}, 'Repositories'), form, results);
}

function roleSelect(value, name) {
    return el('select', {name}, ROLES.map(r => el('option', {value: r, selected: r === value}, r)));
}

async function members(state, project) {
    const path = `projects/${encodeURIComponent(project.name)}/members`;
    const list = await api.get(path);
    const rows = list.map(m => {
        const role = roleSelect(m.role);
        role.setAttribute('aria-label', `Role of ${m.username}`);
        role.addEventListener('change', () => busy(role, async () => {
            await api.put(`${path}/${encodeURIComponent(m.username)}`, {role: role.value});
            showInfo(`${m.username} is now ${role.value}.`);
        }, `Cannot change the role of ${m.username}`));
        const remove = el('button', {type: 'button', class: 'danger small', 'aria-label': `Remove ${m.username}`}, 'Remove');
        remove.addEventListener('click', async () => {
            if (await confirmAction('Remove member', `Remove ${m.username} from ${project.name}?`, 'Remove')) {
                busy(remove, async () => { await api.del(`${path}/${encodeURIComponent(m.username)}`); await reload(); },
                    `Cannot remove ${m.username}`);
            }
        });
        return [m.username, role, remove];
    });
    const username = el('input', {type: 'text', name: 'username', required: true, autocapitalize: 'none'});
    const role = roleSelect('developer', 'new_role');
    const add = el('button', {type: 'submit', class: 'primary'}, 'Add member');
    const form = el('form', {class: 'card inline', 'aria-labelledby': 'add-member'},
        el('h3', {id: 'add-member'}, 'Add a member'), field('Username', username), field('Role', role), add);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(add, async () => {
            await api.post(path, {username: username.value.trim(), role: role.value});
            showInfo(`${username.value.trim()} added as ${role.value}.`);
            await reload();
        }, 'Cannot add the member');
    });
    return el('div', {}, el('h2', {}, 'Members'),
        table('!Members', ['User', 'Role', 'Actions'], rows, 'No members.'), form,
        el('p', {class: 'hint'}, 'project_admin: everything in the project; maintainer: push, pull, delete; developer: push, pull; guest: pull.'));
}

function actionBoxes(prefix, checked) {
    return el('fieldset', {class: 'check-group'}, el('legend', {}, 'Actions'),
        ACTIONS.map(a => {
            const box = el('input', {type: 'checkbox', name: 'actions', value: a, id: `${prefix}-${a}`, checked: checked.includes(a)});
            return el('span', {class: 'check'}, box, el('label', {for: box.id}, a));
        }));
}

function expiryOf(input) {
    return input.value ? new Date(input.value + 'T23:59:59Z').toISOString() : undefined;
}

async function robots(state, project) {
    const path = `projects/${encodeURIComponent(project.name)}/robots`;
    const list = await api.get(path);
    const rows = list.map(r => {
        const toggle = el('button', {type: 'button', class: 'secondary small'}, r.disabled ? 'Enable' : 'Disable');
        toggle.addEventListener('click', () => busy(toggle, async () => {
            await api.patch(`${path}/${encodeURIComponent(r.name)}`, {disabled: !r.disabled});
            await reload();
        }, `Cannot change ${r.name}`));
        const remove = el('button', {type: 'button', class: 'danger small', 'aria-label': `Delete ${r.name}`}, 'Delete');
        remove.addEventListener('click', async () => {
            if (await confirmAction('Delete robot account', `Delete ${r.name}? Clients using its secret stop working.`)) {
                busy(remove, async () => { await api.del(`${path}/${encodeURIComponent(r.name)}`); await reload(); },
                    `Cannot delete ${r.name}`);
            }
        });
        return [el('code', {}, r.name), r.actions.join(', '), r.expires_at ? time(r.expires_at) : 'never',
            r.disabled ? 'disabled' : 'active', el('span', {class: 'buttons'}, toggle, remove)];
    });
    const name = el('input', {type: 'text', name: 'name', required: true, autocapitalize: 'none'});
    const expires = el('input', {type: 'date', name: 'expires'});
    const create = el('button', {type: 'submit', class: 'primary'}, 'Create robot account');
    const form = el('form', {class: 'card', 'aria-labelledby': 'new-robot'},
        el('h3', {id: 'new-robot'}, 'New robot account'), field('Name', name), actionBoxes('robot', ['pull']),
        field('Expires on (optional)', expires), create);
    form.addEventListener('submit', e => {
        e.preventDefault();
        const actions = [...form.querySelectorAll('input[name=actions]:checked')].map(b => b.value);
        busy(create, async () => {
            const robot = await api.post(path, {name: name.value.trim(), actions, expires_at: expiryOf(expires)});
            await showSecret(`Robot ${robot.name} created`, 'Secret', robot.secret,
                `Log in with docker login -u '${robot.name}'. The secret is shown only now; copy it.`);
            await reload();
        }, 'Cannot create the robot account');
    });
    return el('div', {}, el('h2', {}, 'Robot accounts'),
        table('!Robot accounts', ['Login name', 'Actions', 'Expires', 'Status', 'Manage'], rows, 'No robot accounts.'), form);
}

async function audit(state, project) {
    return el('div', {}, el('h2', {}, 'Audit'),
        await auditTable(`projects/${encodeURIComponent(project.name)}/audit-logs`, false));
}

async function settings(state, project) {
    const isPublic = el('input', {type: 'checkbox', id: 'project-public', checked: project.public});
    const save = el('button', {type: 'submit', class: 'primary'}, 'Save visibility');
    const form = el('form', {class: 'card', 'aria-labelledby': 'visibility'},
        el('h2', {id: 'visibility'}, 'Visibility'),
        el('div', {class: 'check'}, isPublic, el('label', {for: 'project-public'}, 'Public: anyone, even without an account, may pull')),
        save);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(save, async () => {
            await api.patch(`projects/${encodeURIComponent(project.name)}`, {public: isPublic.checked});
            showInfo(`${project.name} is now ${isPublic.checked ? 'public' : 'private'}.`);
            await reload();
        }, 'Cannot change the visibility');
    });
    const remove = el('button', {type: 'button', class: 'danger'}, 'Delete project');
    remove.addEventListener('click', async () => {
        if (await confirmAction('Delete project', `Delete the project ${project.name}? Only an empty project can be deleted.`)) {
            busy(remove, async () => {
                await api.del(`projects/${encodeURIComponent(project.name)}`);
                showInfo(`Project ${project.name} deleted.`);
                location.hash = '#/projects';
            }, 'Cannot delete the project');
        }
    });
    return el('div', {}, form, project.registry ? tagTtlForm(project) : null,
        el('div', {class: 'card danger-zone'}, el('h2', {}, 'Delete'), remove));
}

/** A proxy project's tag TTL: how long a tag is served from the cache before the upstream is asked again. */
function tagTtlForm(project) {
    const ttl = el('input', {type: 'number', id: 'project-tag-ttl', name: 'tag_ttl_seconds', min: '0', step: '1', required: true,
        value: project.tag_ttl_seconds});
    const save = el('button', {type: 'submit', class: 'primary'}, 'Save tag TTL');
    const form = el('form', {class: 'card', 'aria-labelledby': 'proxy-cache'},
        el('h2', {id: 'proxy-cache'}, 'Proxy cache'),
        el('p', {}, upstream(project)),
        field('Tag TTL (seconds)', ttl, 'Within it a tag is served from the cache; after it the upstream is asked with a HEAD.'),
        save);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(save, async () => {
            await api.patch(`projects/${encodeURIComponent(project.name)}`, {tag_ttl_seconds: Number(ttl.value)});
            showInfo(`Tag TTL of ${project.name} set to ${Number(ttl.value)} s.`);
            await reload();
        }, 'Cannot set the tag TTL');
    });
    return form;
}

