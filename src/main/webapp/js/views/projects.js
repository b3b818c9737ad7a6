import * as api from '../api.js';
import {busy, el, field, pager, showInfo, table, time} from '../ui.js';

const PAGE_SIZE = 20;

/** Projects the caller may see: search by name, paging, and a form to create one. */
export async function projectsView(state) {
    const results = el('div', {id: 'project-list'});
    const search = el('input', {type: 'search', name: 'q', placeholder: 'part of a name'});
    let page = 1;

    async function load() {
        const {data, total} = await api.list('projects', {page, page_size: PAGE_SIZE, name: search.value.trim()});
        results.replaceChildren(
            table('!Projects', ['Name', 'Visibility', 'Upstream', 'Created'], data.map(p => [
                el('a', {href: `#/projects/${encodeURIComponent(p.name)}`}, p.name),
                el('span', {class: p.public ? 'badge public' : 'badge private'}, p.public ? 'public' : 'private'),
                p.registry ? upstream(p) : el('span', {class: 'muted'}, '–'),
                time(p.created_at),
            ]), search.value ? 'No project matches.' : 'No projects yet.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load); }));
    }

    const searchForm = el('form', {role: 'search', class: 'inline'}, field('Search projects', search),
        el('button', {type: 'submit', class: 'secondary'}, 'Search'));
    searchForm.addEventListener('submit', e => { e.preventDefault(); page = 1; busy(null, load, 'Search failed'); });

    const name = el('input', {type: 'text', name: 'name', required: true, pattern: '[a-z0-9]+(?:[._\\-][a-z0-9]+)*', autocapitalize: 'none'});
    const isPublic = el('input', {type: 'checkbox', name: 'public'});
    const proxy = state.me.sysadmin ? await proxyFields() : null;
    const create = el('button', {type: 'submit', class: 'primary'}, 'Create project');
    const createForm = el('form', {class: 'card', 'aria-labelledby': 'create-project'},
        el('h2', {id: 'create-project'}, 'New project'),
        field('Project name', name, 'Lower case letters, digits and . _ - between them.'),
        el('div', {class: 'check'}, isPublic, el('label', {for: isPublic.id = 'new-project-public'}, 'Public (anyone may pull)')),
        proxy && proxy.fields,
        create);
    createForm.addEventListener('submit', e => {
        e.preventDefault();
        busy(create, async () => {
            const body = {name: name.value.trim(), public: isPublic.checked};
            if (proxy && proxy.registry.value) {
                body.registry = proxy.registry.value;
                body.tag_ttl_seconds = Number(proxy.ttl.value);
            }
            const project = await api.post('projects', body);
            showInfo(`Project ${project.name} created.`);
            location.hash = `#/projects/${encodeURIComponent(project.name)}`;
        }, 'Cannot create the project');
    });

    await load();
    return el('section', {}, el('h1', {}, 'Projects'), searchForm, results, createForm);
}

/** A proxy project's upstream: the badge, the endpoint's name and URL. */
export function upstream(project) {
    return el('span', {class: 'upstream-of'},
        el('span', {class: 'badge proxy'}, 'proxy cache'), ' ', project.registry,
        project.registry_url ? [' ', el('code', {}, project.registry_url)] : null);
}

/**
 * The optional "proxy cache of" select (system admins; the endpoints are theirs to read) and the
 * tag TTL shown once a registry is chosen. No select when there is no endpoint or the list fails.
 */
async function proxyFields() {
    let registries;
    try {
        registries = (await api.list('registries', {page: 1, page_size: 100})).data;
    } catch (e) {
        return null;
    }
    if (!registries || registries.length === 0) {
        return null;
    }
    const registry = el('select', {name: 'registry'}, el('option', {value: ''}, 'None: a normal project'),
        registries.map(r => el('option', {value: r.name}, `${r.name} (${r.url})`)));
    const ttl = el('input', {type: 'number', name: 'tag_ttl_seconds', min: '0', step: '1', value: '300'});
    const ttlField = field('Tag TTL (seconds)', ttl, 'A tag is served from the cache this long before the upstream is asked again.');
    ttlField.hidden = true;
    registry.addEventListener('change', () => {
        ttlField.hidden = !registry.value;
        ttl.required = Boolean(registry.value); // a hidden field must not block the form
    });
    const fields = el('div', {class: 'proxy-fields'},
        field('Proxy cache of registry (optional)', registry, 'Pulls are served from this registry and cached; pushes are refused.'),
        ttlField);
    return {fields, registry, ttl};
}
