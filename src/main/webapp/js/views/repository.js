import * as api from '../api.js';
import {reload} from '../app.js';
import {busy, bytes, confirmAction, count, copyButton, el, field, pager, shortDigest, showInfo, time} from '../ui.js';

const PAGE_SIZE = 10;

/**
 * One repository: its artifacts newest first, with tags, sizes, platforms, push and pull times
 * and a pull command. Delete and tag buttons appear only when the token service grants this
 * account delete (or push) on the repository; the API checks every call again. An immutable tag
 * has a lock naming its rule and no delete button.
 */
export async function repositoryView(state, name, page = 1) {
    const path = `repositories/${api.segments(name)}`;
    const [repository, actions] = await Promise.all([api.get(path), api.repositoryActions(name)]);
    const project = repository.project || name.split('/')[0];
    const list = el('div', {id: 'artifact-list'});

    async function load() {
        const {data, total} = await api.list(`${path}/artifacts`, {page, page_size: PAGE_SIZE});
        list.replaceChildren(
            ...(data.length ? data.map(a => artifactCard(name, path, a, actions)) : [el('p', {class: 'empty'}, 'No artifacts.')]),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load, 'Cannot list artifacts'); }));
    }
    await load();

    const header = el('div', {},
        el('p', {class: 'crumbs'}, el('a', {href: '#/projects'}, 'Projects'), ' / ',
            el('a', {href: `#/projects/${encodeURIComponent(project)}`}, project), ' / '),
        el('h1', {}, name),
        el('p', {class: 'counts'},
            el('span', {}, count(repository.artifact_count, 'artifact')), el('span', {}, count(repository.tag_count, 'tag')),
            el('span', {}, count(repository.pull_count, 'pull')), el('span', {}, 'last push ', time(repository.last_push_at)),
            el('span', {}, 'last pull ', time(repository.last_pull_at))),
        el('p', {class: 'muted'}, `Your rights here: ${[...actions].join(', ') || 'none'}`));
    const parts = [header, el('h2', {}, 'Artifacts'), list];
    if (actions.has('delete')) {
        const remove = el('button', {type: 'button', class: 'danger', 'data-action': 'delete-repository'}, 'Delete repository');
        remove.addEventListener('click', async () => {
            if (await confirmAction('Delete repository', `Delete ${name} with all its tags and artifacts? This cannot be undone.`)) {
                busy(remove, async () => {
                    await api.del(path);
                    showInfo(`Repository ${name} deleted.`);
                    location.hash = `#/projects/${encodeURIComponent(project)}`;
                }, 'Cannot delete the repository');
            }
        });
        parts.push(el('div', {class: 'card danger-zone'}, el('h2', {}, 'Delete repository'), remove));
    }
    return el('section', {}, parts);
}

function pullCommand(name, reference) {
    const separator = reference.startsWith('sha256:') ? '@' : ':';
    const input = el('input', {type: 'text', readonly: true, class: 'command', value: `docker pull ${location.host}/${name}${separator}${reference}`,
        'aria-label': `Pull command for ${reference}`});
    return el('span', {class: 'pull'}, input, copyButton(input));
}

function artifactCard(name, path, a, actions) {
    const tagRows = a.tags.map(t => {
        const cells = [el('span', {class: 'tag'}, t.name)];
        if (t.immutable_rule) {
            // the server refuses to move or delete it; a system administrator can lift the rule
            const why = `Immutable: rule '${t.immutable_rule}' keeps this tag from moving or being deleted`;
            cells.push(el('span', {class: 'immutable', role: 'img', title: why, 'aria-label': why, 'data-immutable-rule': t.immutable_rule}, '🔒'));
        }
        cells.push(time(t.pushed_at), pullCommand(name, t.name));
        if (actions.has('delete') && !t.immutable_rule) {
            const remove = el('button', {type: 'button', class: 'danger small', 'data-action': 'delete-tag', 'data-tag': t.name,
                'aria-label': `Delete tag ${t.name}`}, 'Delete tag');
            remove.addEventListener('click', async () => {
                if (await confirmAction('Delete tag', `Delete the tag ${name}:${t.name}? The artifact ${shortDigest(a.digest)} stays.`)) {
                    busy(remove, async () => {
                        await api.del(`${path}/tags/${t.name}`);
                        showInfo(`Tag ${t.name} deleted.`);
                        await reload();
                    }, `Cannot delete the tag ${t.name}`);
                }
            });
            cells.push(remove);
        }
        return el('li', {class: 'tag-row'}, cells);
    });
    const platforms = a.platforms && a.platforms.length
        ? a.platforms.map(p => [p.os, p.architecture, p.variant].filter(Boolean).join('/')).join(', ')
        : a.config ? [a.config.os, a.config.architecture].filter(Boolean).join('/') : '–';
    const facts = el('dl', {class: 'facts'},
        el('dt', {}, 'Size'), el('dd', {class: 'size'}, bytes(a.total_size), el('span', {class: 'muted'}, ` (manifest ${bytes(a.size)})`)),
        el('dt', {}, 'Platforms'), el('dd', {}, platforms),
        el('dt', {}, 'Type'), el('dd', {}, a.artifact_type || a.media_type),
        el('dt', {}, 'Pushed'), el('dd', {}, time(a.pushed_at)),
        el('dt', {}, 'Last pull'), el('dd', {}, time(a.pulled_at), ` (${count(a.pull_count, 'pull')})`),
        a.config && a.config.created ? [el('dt', {}, 'Created'), el('dd', {}, time(a.config.created))] : null);
    const details = el('details', {}, el('summary', {}, 'Layers, labels and referrers'),
        a.layers.length ? el('ol', {class: 'layers'}, a.layers.map(l => el('li', {}, el('code', {}, shortDigest(l.digest)), ' ', bytes(l.size)))) : null,
        a.config && a.config.labels && Object.keys(a.config.labels).length
            ? el('ul', {}, Object.entries(a.config.labels).map(([k, v]) => el('li', {}, el('code', {}, k), ' = ', v))) : null,
        a.referrers.length ? el('ul', {}, a.referrers.map(r => el('li', {}, r.artifact_type || r.media_type, ' ', el('code', {}, shortDigest(r.digest))))) : el('p', {class: 'muted'}, 'No referrers.'));
    const card = el('article', {class: 'card artifact', 'data-digest': a.digest, 'aria-label': `Artifact ${a.digest}`},
        el('h3', {}, el('code', {title: a.digest}, shortDigest(a.digest))),
        facts,
        el('h4', {}, 'Tags'),
        tagRows.length ? el('ul', {class: 'tags'}, tagRows) : el('p', {class: 'muted'}, 'Untagged.', ' ', pullCommand(name, a.digest)),
        details);
    const buttons = el('div', {class: 'buttons'});
    if (actions.has('push')) {
        buttons.append(addTagForm(name, path, a));
    }
    if (actions.has('delete')) {
        const remove = el('button', {type: 'button', class: 'danger', 'data-action': 'delete-artifact'}, 'Delete artifact');
        remove.addEventListener('click', async () => {
            const tags = a.tags.map(t => t.name).join(', ');
            if (await confirmAction('Delete artifact', `Delete ${a.digest}${tags ? ' and its tags ' + tags : ''}?`)) {
                busy(remove, async () => {
                    await api.del(`${path}/artifacts/${a.digest}`);
                    showInfo('Artifact deleted.');
                    await reload();
                }, 'Cannot delete the artifact');
            }
        });
        buttons.append(remove);
    }
    card.append(buttons);
    return card;
}

function addTagForm(name, path, a) {
    const tag = el('input', {type: 'text', name: 'tag', required: true, pattern: '[A-Za-z0-9_][A-Za-z0-9._\\-]{0,127}'});
    const add = el('button', {type: 'submit', class: 'secondary'}, 'Add tag');
    const form = el('form', {class: 'inline'}, field('New tag', tag), add);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(add, async () => {
            await api.post(`${path}/artifacts/${a.digest}/tags`, {name: tag.value.trim()});
            showInfo(`Tagged ${name}:${tag.value.trim()}.`);
            await reload();
        }, 'Cannot add the tag');
    });
    return form;
}
