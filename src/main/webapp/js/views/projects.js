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
            table('!Projects', ['Name', 'Visibility', 'Created'], data.map(p => [
                el('a', {href: `#/projects/${encodeURIComponent(p.name)}`}, p.name),
                el('span', {class: p.public ? 'badge public' : 'badge private'}, p.public ? 'public' : 'private'),
                time(p.created_at),
            ]), search.value ? 'No project matches.' : 'No projects yet.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load); }));
    }

    const searchForm = el('form', {role: 'search', class: 'inline'}, field('Search projects', search),
        el('button', {type: 'submit', class: 'secondary'}, 'Search'));
    searchForm.addEventListener('submit', e => { e.preventDefault(); page = 1; busy(null, load, 'Search failed'); });

    const name = el('input', {type: 'text', name: 'name', required: true, pattern: '[a-z0-9]+(?:[._\\-][a-z0-9]+)*', autocapitalize: 'none'});
    const isPublic = el('input', {type: 'checkbox', name: 'public'});
    const create = el('button', {type: 'submit', class: 'primary'}, 'Create project');
    const createForm = el('form', {class: 'card', 'aria-labelledby': 'create-project'},
        el('h2', {id: 'create-project'}, 'New project'),
        field('Project name', name, 'Lower case letters, digits and . _ - between them.'),
        el('div', {class: 'check'}, isPublic, el('label', {for: isPublic.id = 'new-project-public'}, 'Public (anyone may pull)')),
        create);
    createForm.addEventListener('submit', e => {
        e.preventDefault();
        busy(create, async () => {
            const project = await api.post('projects', {name: name.value.trim(), public: isPublic.checked});
            showInfo(`Project ${project.name} created.`);
            location.hash = `#/projects/${encodeURIComponent(project.name)}`;
        }, 'Cannot create the project');
    });

    await load();
    return el('section', {}, el('h1', {}, 'Projects'), searchForm, results, createForm);
}
