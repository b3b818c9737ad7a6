import * as api from '../api.js';
import {busy, bytes, confirmAction, count, el, field, shortDigest, showInfo, table, time} from '../ui.js';

const MAX_RULES = 15;
const KEEP = [
    ['latest_pushed', 'most recently pushed', 'count'],
    ['latest_pulled', 'most recently pulled', 'count'],
    ['pushed_within_days', 'pushed within days', 'days'],
    ['pulled_within_days', 'pulled within days', 'days'],
    ['always', 'always', null],
];
const REASONS = {
    rule: 'rule', immutable: 'immutable tag', index_child: 'child of a kept index',
    referrer: 'referrer of a kept artifact', not_selected: 'not selected by any rule',
};
const POLL_MS = 1000;

/**
 * A project's policies: tag retention (rules, schedule, preview, enable, run, history) and
 * immutable tags. Maintainers read; project admins edit; lifting an immutable rule is offered to
 * system administrators only. The API decides every call.
 */
export async function policies(state, project, canEdit) {
    const base = `projects/${encodeURIComponent(project.name)}`;
    return el('div', {class: 'policies'},
        await retention(base, canEdit),
        await immutableTags(state, base, canEdit));
}

// ---------------------------------------------------------------------------------- retention

async function retention(base, canEdit) {
    const policy = await api.get(`${base}/retention`);
    const card = el('section', {class: 'card retention', 'aria-labelledby': 'retention-h'});
    const status = el('p', {class: 'retention-status'});
    const rulesBox = el('div', {class: 'rules'});
    const schedule = el('input', {type: 'text', name: 'schedule', placeholder: '0 3 * * * (empty: on demand only)',
        value: policy.schedule || '', disabled: !canEdit});
    const runGc = el('input', {type: 'checkbox', name: 'run_gc', checked: policy.run_gc, disabled: !canEdit});
    const previewBox = el('div', {class: 'retention-preview', 'aria-live': 'polite'});
    const history = el('div', {class: 'retention-history'});
    let current = policy;
    let previewed = null; // the fingerprint of the preview shown for the rules as they are in the editor

    const rules = policy.rules.map(r => ruleRow(r, canEdit, changed));
    function changed() {
        previewed = null;
        refreshButtons();
    }
    function drawRules() {
        rulesBox.replaceChildren(rules.length ? el('ol', {class: 'rule-list'}, rules.map((r, i) => {
            const remove = el('button', {type: 'button', class: 'secondary', disabled: !canEdit, 'aria-label': `Remove rule ${i + 1}`}, 'Remove');
            remove.addEventListener('click', () => {
                rules.splice(i, 1);
                drawRules();
                changed();
            });
            return el('li', {class: 'rule'}, r.node, canEdit ? remove : null);
        })) : el('p', {class: 'empty'}, 'No rules: retention deletes nothing.'));
        add.disabled = !canEdit || rules.length >= MAX_RULES;
    }
    const add = el('button', {type: 'button', class: 'secondary'}, 'Add rule');
    add.addEventListener('click', () => {
        rules.push(ruleRow({repository: {pattern: '**', mode: 'matching'}, tag: {pattern: '**', mode: 'matching'},
            untagged: false, keep: 'latest_pushed', amount: 10}, canEdit, changed));
        drawRules();
        changed();
    });
    schedule.addEventListener('input', refreshButtons);

    const previewButton = el('button', {type: 'button', class: 'secondary'}, 'Preview');
    const save = el('button', {type: 'button', class: 'secondary'}, 'Save');
    const enable = el('button', {type: 'button', class: 'primary'}, 'Enable these rules');
    const disable = el('button', {type: 'button', class: 'secondary'}, 'Disable');
    const runNow = el('button', {type: 'button', class: 'danger'}, 'Run now');

    const draft = () => rules.map(r => r.value());
    const body = enabled => ({rules: draft(), schedule: schedule.value.trim() || null, run_gc: runGc.checked, enabled,
        preview_fingerprint: previewed});

    function refreshButtons() {
        status.replaceChildren(
            el('span', {class: current.enabled ? 'badge ok' : 'badge'}, current.enabled ? 'enabled' : 'disabled'), ' ',
            current.schedule ? `Schedule: ${current.schedule}` : 'No schedule (on demand only)',
            current.next_run ? ` — next run ${new Date(current.next_run).toLocaleString()}` : '',
            current.run_gc ? '; starts garbage collection after a run' : '',
            current.updated_by ? `; saved by ${current.updated_by}` : '');
        // Enable only once the preview of the rules now in the editor was shown
        enable.hidden = !canEdit || previewed === null;
        disable.hidden = !canEdit || !current.enabled;
        runNow.hidden = !canEdit || !current.enabled;
        save.hidden = !canEdit;
    }

    previewButton.addEventListener('click', () => busy(previewButton, async () => {
        const preview = await api.post(`${base}/retention/preview`, {rules: draft()});
        previewBox.replaceChildren(previewView(preview));
        previewed = preview.rules_fingerprint;
        refreshButtons();
    }, 'Cannot preview'));
    save.addEventListener('click', () => busy(save, async () => {
        await saved(await api.put(`${base}/retention`, body(current.enabled)));
        showInfo('Retention policy saved.');
    }, 'Cannot save the retention policy'));
    enable.addEventListener('click', () => busy(enable, async () => {
        if (!await confirmAction('Enable these rules?', 'Runs (on demand and by the schedule) delete what the preview shows, '
            + 'as it stands when they run.', 'Enable')) {
            return;
        }
        await saved(await api.put(`${base}/retention`, body(true)));
        showInfo('Retention enabled.');
    }, 'Cannot enable retention'));
    disable.addEventListener('click', () => busy(disable, async () => {
        await saved(await api.put(`${base}/retention`, {...body(false), preview_fingerprint: null}));
        showInfo('Retention disabled.');
    }, 'Cannot disable retention'));
    runNow.addEventListener('click', () => busy(runNow, async () => {
        if (!await confirmAction('Run retention now?', 'The artifacts the saved rules do not keep are deleted now.', 'Run')) {
            return;
        }
        await api.post(`${base}/retention/runs`);
        await loadHistory();
    }, 'Cannot start a retention run'));

    async function saved(answer) {
        current = answer.policy;
        if (answer.preview) {
            previewBox.replaceChildren(previewView(answer.preview));
        }
        refreshButtons();
        await loadHistory();
    }

    let timer = null;
    async function loadHistory() {
        clearTimeout(timer);
        const {data} = await api.list(`${base}/retention/runs`, {page: 1, page_size: 20});
        history.replaceChildren(el('h3', {}, 'Runs'), runsTable(data));
        if (data.some(r => r.state === 'running') && card.isConnected !== false) {
            timer = setTimeout(() => busy(null, loadHistory, 'Cannot read the runs'), POLL_MS);
        }
    }

    drawRules();
    refreshButtons();
    card.append(
        el('h2', {id: 'retention-h'}, 'Tag retention'),
        el('p', {class: 'muted'}, 'Rules are combined with OR and decided per artifact: an artifact stays when any rule keeps it '
            + 'through any of its tags, and then all its tags stay. Counts apply per repository. Immutable artifacts, children of '
            + 'a kept index and referrers of a kept artifact always stay; an artifact with a tag no rule selects is left alone.'),
        status, rulesBox,
        el('div', {class: 'buttons'}, canEdit ? add : null),
        el('div', {class: 'inline retention-options'}, field('Schedule (cron)', schedule),
            el('div', {class: 'check'}, runGc, el('label', {for: runGc.id = 'retention-run-gc'}, 'Start garbage collection after a run'))),
        el('div', {class: 'buttons'}, previewButton, save, enable, disable, runNow),
        previewBox, history);
    await loadHistory();
    return card;
}

/** One editable rule: answers {node, value()}. */
function ruleRow(rule, canEdit, changed) {
    const input = (attrs) => {
        const i = el('input', {...attrs, disabled: !canEdit});
        i.addEventListener('input', changed);
        return i;
    };
    const select = (options, value) => {
        const s = el('select', {disabled: !canEdit}, options.map(([v, label]) => el('option', {value: v, selected: v === value}, label)));
        s.addEventListener('change', changed);
        return s;
    };
    const modes = [['matching', 'matching'], ['excluding', 'excluding']];
    const repository = input({type: 'text', value: rule.repository.pattern, name: 'repository'});
    const repositoryMode = select(modes, rule.repository.mode);
    const tag = input({type: 'text', value: rule.tag.pattern, name: 'tag'});
    const tagMode = select(modes, rule.tag.mode);
    const keep = select(KEEP.map(([v, label]) => [v, label]), rule.keep);
    const amount = input({type: 'number', min: '1', step: '1', value: rule.amount ?? 10, name: 'amount'});
    const untagged = input({type: 'checkbox', name: 'untagged', checked: rule.untagged});
    const showAmount = () => {
        const kind = KEEP.find(([v]) => v === keep.value)[2];
        amount.closest('.field')?.toggleAttribute('hidden', kind === null);
        amount.previousSibling && (amount.previousSibling.textContent = kind === 'days' ? 'Days' : 'Count per repository');
    };
    keep.addEventListener('change', showAmount);
    const node = el('div', {class: 'rule-fields'},
        field('Repositories', repository), field('Repository mode', repositoryMode),
        field('Tags', tag), field('Tag mode', tagMode),
        field('Keep', keep), field('Count per repository', amount),
        el('div', {class: 'check'}, untagged, el('label', {for: untagged.id = `untagged-${Math.random().toString(36).slice(2)}`},
            'and untagged artifacts')));
    queueMicrotask(showAmount);
    return {
        node,
        value: () => {
            const kind = KEEP.find(([v]) => v === keep.value)[2];
            const r = {repository: {pattern: repository.value, mode: repositoryMode.value}, tag: {pattern: tag.value, mode: tagMode.value},
                untagged: untagged.checked, keep: keep.value};
            if (kind !== null) {
                r.amount = Number(amount.value);
            }
            return r;
        },
    };
}

function previewView(preview) {
    const t = preview.totals;
    const deletions = sortableTable('What a run would delete now',
        [['Repository', d => d.repository, d => el('code', {}, d.repository)],
            ['Tags', d => d.tags.join(', '), d => d.tags.length ? d.tags.join(', ') : el('span', {class: 'muted'}, 'untagged')],
            ['Digest', d => d.digest, d => el('code', {title: d.digest}, shortDigest(d.digest))],
            ['Pushed', d => d.pushed_at || '', d => time(d.pushed_at)],
            ['Last pull', d => d.last_pull_at || '', d => d.last_pull_at ? time(d.last_pull_at) : 'never'],
            ['Frees', d => d.freed_bytes, d => bytes(d.freed_bytes)]],
        preview.deletions, 'Nothing would be deleted.');
    const kept = sortableTable('What stays, and why',
        [['Repository', d => d.repository, d => el('code', {}, d.repository)],
            ['Tags', d => d.tags.join(', '), d => d.tags.length ? d.tags.join(', ') : el('span', {class: 'muted'}, 'untagged')],
            ['Digest', d => d.digest, d => el('code', {title: d.digest}, shortDigest(d.digest))],
            ['Kept by', d => d.reason === 'rule' ? `${d.rule}` : d.reason,
                d => d.reason === 'rule' ? `rule ${d.rule + 1}: ${d.rule_text}` : REASONS[d.reason] || d.reason]],
        preview.kept, 'Nothing stays.');
    return el('div', {class: 'card preview', 'data-fingerprint': preview.rules_fingerprint},
        el('h3', {}, 'Preview'),
        el('p', {class: 'preview-totals'},
            `${count(t.artifacts_deleted, 'artifact')} (${count(t.tags_deleted, 'tag')}) in ${count(t.repositories, 'repository', 'repositories')} `
            + `would be deleted, freeing ${bytes(t.freed_bytes)} once garbage collection runs; ${count(t.artifacts_kept, 'artifact')} stay. `,
            el('span', {class: 'muted'}, `Evaluated ${new Date(preview.evaluated_at).toLocaleString()}.`)),
        deletions,
        preview.deletions_truncated ? el('p', {class: 'muted'}, `The first ${preview.deletions.length} are listed.`) : null,
        el('details', {}, el('summary', {}, `Artifacts that stay (${t.artifacts_kept})`), kept));
}

/** A table whose column headers sort it: columns are [label, sort key, cell]. */
function sortableTable(caption, columns, items, empty) {
    if (items.length === 0) {
        return el('p', {class: 'empty'}, empty);
    }
    let by = -1;
    let ascending = true;
    const tbody = el('tbody');
    const headers = columns.map(([label], i) => {
        const button = el('button', {type: 'button', class: 'sort'}, label);
        const th = el('th', {scope: 'col', 'aria-sort': 'none'}, button);
        button.addEventListener('click', () => {
            ascending = by === i ? !ascending : true;
            by = i;
            headers.forEach((h, j) => h.setAttribute('aria-sort', j === by ? (ascending ? 'ascending' : 'descending') : 'none'));
            draw();
        });
        return th;
    });
    function draw() {
        const rows = [...items];
        if (by >= 0) {
            const key = columns[by][1];
            rows.sort((a, b) => {
                const x = key(a);
                const y = key(b);
                const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
                return ascending ? c : -c;
            });
        }
        tbody.replaceChildren(...rows.map(item => el('tr', {}, columns.map(([label, , cell]) => el('td', {'data-label': label}, cell(item))))));
    }
    draw();
    return el('div', {class: 'table-wrap'}, el('table', {class: 'sortable'}, el('caption', {}, caption), el('thead', {}, el('tr', {}, headers)), tbody));
}

function runsTable(runs) {
    return table('!Retention runs', ['Run', 'Started', 'By', 'State', 'Deleted', 'Skipped', 'Freed', 'Garbage collection'], runs.map(r => [
        String(r.id),
        time(r.started_at),
        r.trigger === 'schedule' ? 'schedule' : r.started_by,
        el('span', {class: r.state === 'succeeded' ? 'badge ok' : r.state === 'running' ? 'badge' : 'badge fail'}, r.state),
        `${r.artifacts_deleted} artifacts, ${r.tags_deleted} tags`,
        String(r.skipped),
        bytes(r.freed_bytes),
        r.gc_run ? `run ${r.gc_run}` : '—',
    ]), 'No run yet.');
}

// ---------------------------------------------------------------------------------- immutable tags

async function immutableTags(state, base, canEdit) {
    const card = el('section', {class: 'card immutable', 'aria-labelledby': 'immutable-h'}, el('h2', {id: 'immutable-h'}, 'Immutable tags'),
        el('p', {class: 'muted'}, 'A tag a rule matches, once it exists, can neither move to another image nor be deleted, '
            + 'by anyone, retention included. Only a system administrator can lift a rule.'));
    const list = el('div');
    async function load() {
        let rules;
        try {
            rules = await api.get(`${base}/immutable-tags`);
        } catch (e) {
            list.replaceChildren(el('p', {class: 'inline-error'}, `Immutable-tag rules are unavailable: ${e.describe ? e.describe() : e.message}`));
            return;
        }
        list.replaceChildren(table('!Immutable-tag rules', ['Name', 'Repositories', 'Tags', 'State', 'Created', 'Manage'], rules.map(r => [
            r.name,
            selectorText(r.repository),
            selectorText(r.tag),
            el('span', {class: r.disabled ? 'badge' : 'badge ok'}, r.disabled ? 'lifted' : 'active'),
            [time(r.created_at), ` by ${r.created_by}`],
            state.me.sysadmin ? el('div', {class: 'buttons'},
                el('button', {type: 'button', class: 'secondary', onclick: e => busy(e.currentTarget, async () => {
                    await api.patch(`${base}/immutable-tags/${r.id}`, {disabled: !r.disabled});
                    await load();
                }, 'Cannot change the rule')}, r.disabled ? 'Restore' : 'Lift'),
                el('button', {type: 'button', class: 'danger', onclick: e => busy(e.currentTarget, async () => {
                    if (await confirmAction('Delete this rule?', `The tags rule '${r.name}' protects can then be moved and deleted.`)) {
                        await api.del(`${base}/immutable-tags/${r.id}`);
                        await load();
                    }
                }, 'Cannot delete the rule')}, 'Delete')) : '',
        ]), 'No immutable-tag rules.'));
    }
    card.append(list);
    if (canEdit) {
        const name = el('input', {type: 'text', name: 'name', required: true, maxlength: 64, placeholder: 'releases'});
        const repository = el('input', {type: 'text', name: 'repository', value: '**', required: true});
        const tag = el('input', {type: 'text', name: 'tag', required: true, placeholder: 'v*'});
        const submit = el('button', {type: 'submit', class: 'secondary'}, 'Add rule');
        const form = el('form', {class: 'inline'}, el('h3', {}, 'Add an immutable-tag rule'),
            field('Name', name), field('Repositories', repository), field('Tags', tag), submit);
        form.addEventListener('submit', e => {
            e.preventDefault();
            busy(submit, async () => {
                await api.post(`${base}/immutable-tags`, {name: name.value.trim(), repository: {pattern: repository.value.trim(), mode: 'matching'},
                    tag: {pattern: tag.value.trim(), mode: 'matching'}});
                form.reset();
                await load();
            }, 'Cannot add the rule');
        });
        card.append(form);
    }
    await load();
    return card;
}

function selectorText(s) {
    return el('code', {}, (s.mode === 'excluding' ? 'not ' : '') + s.pattern);
}
