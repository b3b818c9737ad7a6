import * as api from '../api.js';
import {reload} from '../app.js';
import {busy, bytes, confirmAction, el, modal, pager, shortDigest, showInfo, table, time} from '../ui.js';
import {DIRECTIONS, ruleForm, triggerText} from './replication-form.js';

const PAGE_SIZE = 20;
/** How often a page showing a pending or running execution asks again. */
const POLL_MS = 2000;
const ACTIVE = new Set(['pending', 'running']);
const BADGES = {succeeded: 'badge ok', failed: 'badge fail', stopped: 'badge fail', skipped: 'badge ok'};
const TASK_STATUSES = ['failed', 'running', 'pending', 'succeeded', 'skipped'];

/**
 * Replication (system administrators; the API decides every call): the rules with "Run now", a
 * rule with its executions and their progress, or one execution's tasks. Routes:
 * #/replication, #/replication/RULE, #/replication/RULE/EXECUTION.
 */
export async function replicationView(state, rule, execution) {
    if (rule && execution) {
        return executionPage(rule, execution);
    }
    return rule ? rulePage(rule) : ruleList();
}

const rulePath = name => `replication/rules/${encodeURIComponent(name)}`;
const ruleHref = name => `#/replication/${encodeURIComponent(name)}`;

function badge(status) {
    return el('span', {class: BADGES[status] || 'badge', 'data-status': status}, status);
}

/** Every registry endpoint (pages of 100), for the rule form's select. */
async function allRegistries() {
    const all = [];
    for (let page = 1; ; page++) {
        const {data, total} = await api.list('registries', {page, page_size: 100});
        all.push(...data);
        if (data.length === 0 || all.length >= (total ?? all.length)) {
            return all;
        }
    }
}

/** Polls load() every POLL_MS while active() says so and the page is still shown. */
function poller(section, load, active, context) {
    let timer = null;
    return async function refresh() {
        clearTimeout(timer);
        if (!section.isConnected && timer !== null) {
            return; // the user went elsewhere
        }
        await load();
        if (active()) {
            timer = setTimeout(() => busy(null, refresh, context), POLL_MS);
        } else {
            timer = null;
        }
    };
}

// ---------------------------------------------------------------------------------- rules

async function ruleList() {
    const section = el('section', {class: 'replication'});
    const results = el('div', {id: 'replication-rules'});
    let page = 1;
    let running = false;

    const refresh = poller(section, async () => {
        const {data, total} = await api.list('replication/rules', {page, page_size: PAGE_SIZE});
        running = data.some(r => r.last_execution && ACTIVE.has(r.last_execution.status));
        results.replaceChildren(
            table('!Replication rules', ['Name', 'Direction', 'Registry', 'Trigger', 'Last execution', 'Actions'], data.map(r => [
                el('span', {}, el('a', {href: ruleHref(r.name)}, r.name),
                    r.enabled ? null : [' ', el('span', {class: 'badge', 'data-enabled': 'false'}, 'disabled')],
                    r.description ? el('span', {class: 'hint'}, r.description) : null),
                r.direction,
                r.registry,
                triggerText(r.trigger),
                lastExecution(r),
                el('span', {class: 'buttons', 'data-rule': r.name}, ruleButtons(r, () => refresh())),
            ]), 'No replication rules yet.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, refresh, 'Cannot list the rules'); }));
    }, () => running, 'Cannot list the rules');

    const registries = await allRegistries();
    const form = ruleForm(null, registries);
    form.classList.add('card');
    form.setAttribute('aria-labelledby', 'new-rule');
    form.prepend(el('h2', {id: 'new-rule'}, 'New rule'));
    const create = el('button', {type: 'submit', class: 'primary'}, 'Add rule');
    form.append(create);
    form.addEventListener('submit', () => busy(create, async () => {
        const rule = await api.post('replication/rules', form.value());
        showInfo(`Replication rule ${rule.name} added.`);
        await reload();
    }, 'Cannot add the rule'));

    section.append(el('h1', {}, 'Replication'),
        el('p', {class: 'hint'}, 'Rules copy artifacts (with their referrers) to or from a registry endpoint.'),
        results, form);
    await refresh();
    return section;
}

function lastExecution(r) {
    const x = r.last_execution;
    if (!x) {
        return el('span', {class: 'muted', 'data-status': 'none'}, 'never ran');
    }
    return el('span', {class: 'last-execution'}, el('a', {href: `${ruleHref(r.name)}/${x.id}`, title: `Execution ${x.id}`}, badge(x.status)),
        ' ', time(x.finished_at || x.started_at));
}

/** Run now, Edit and Delete of a rule; after() redraws what shows it. */
function ruleButtons(r, after, afterDelete = after) {
    const run = el('button', {type: 'button', class: 'secondary small', 'data-action': 'run', 'aria-label': `Run ${r.name} now`}, 'Run now');
    run.addEventListener('click', () => busy(run, async () => {
        const x = await api.post(`${rulePath(r.name)}/executions`);
        showInfo(`Execution ${x.id} of ${r.name} started.`);
        if (location.hash === ruleHref(r.name)) {
            await after();
        } else {
            location.hash = ruleHref(r.name);
        }
    }, `Cannot run ${r.name}`));
    const edit = el('button', {type: 'button', class: 'secondary small', 'data-action': 'edit', 'aria-label': `Edit ${r.name}`}, 'Edit');
    edit.addEventListener('click', () => editRule(r, after));
    const remove = el('button', {type: 'button', class: 'danger small', 'data-action': 'delete', 'aria-label': `Delete ${r.name}`}, 'Delete');
    remove.addEventListener('click', async () => {
        if (await confirmAction('Delete replication rule', `Delete the rule ${r.name}? Its executions and their tasks go with it; `
            + 'nothing already copied is removed.')) {
            await busy(remove, async () => {
                await api.del(rulePath(r.name));
                showInfo(`Replication rule ${r.name} deleted.`);
                await afterDelete();
            }, `Cannot delete ${r.name}`);
        }
    });
    return [run, edit, remove];
}

/** Edits a rule in a dialog and PATCHes only what changed. */
async function editRule(r, after) {
    let registries;
    try {
        registries = await allRegistries();
    } catch (e) {
        registries = [];
    }
    let dialog;
    const form = ruleForm(r, registries, 'edit_');
    const cancel = el('button', {type: 'button', class: 'secondary', onclick: () => dialog.close_with(null)}, 'Cancel');
    const save = el('button', {type: 'button', class: 'primary', onclick: () => form.reportValidity() && dialog.close_with(true)}, 'Save');
    const answer = modal(`Edit rule ${r.name}`, form, [cancel, save]);
    dialog = save.closest('dialog');
    if (!await answer) {
        return;
    }
    const changes = form.changes(r);
    if (Object.keys(changes).length === 0) {
        return;
    }
    await busy(null, async () => {
        await api.patch(rulePath(r.name), changes);
        showInfo(`Replication rule ${r.name} saved.`);
        await after();
    }, `Cannot save ${r.name}`);
}

/** A 404 of the rule or execution as a page, other errors to the caller. */
async function orMissing(read, back, what) {
    try {
        return await read();
    } catch (e) {
        if (e.status === 404) {
            return el('div', {}, back, el('h1', {}, 'Replication'), el('p', {class: 'empty'}, `This ${what} does not exist (any more).`));
        }
        throw e;
    }
}

// ---------------------------------------------------------------------------------- a rule and its executions

async function rulePage(name) {
    const back = el('p', {class: 'crumbs'}, el('a', {href: '#/replication'}, '‹ All rules'));
    const r = await orMissing(() => api.get(rulePath(name)), back, 'rule');
    if (r instanceof Node) {
        return r;
    }
    const section = el('section', {class: 'replication-rule', 'data-rule': r.name});
    const results = el('div', {class: 'execution-list'});
    let page = 1;
    let active = false;

    const refresh = poller(section, async () => {
        const {data, total} = await api.list('replication/executions', {rule: r.name, page, page_size: PAGE_SIZE});
        active = data.some(x => ACTIVE.has(x.status));
        results.replaceChildren(
            table('!Executions', ['Execution', 'Trigger', 'Status', 'Started', 'Tasks', 'Progress', 'Actions'], data.map(x => [
                el('a', {href: `${ruleHref(r.name)}/${x.id}`, title: 'Its tasks'}, `#${x.id}`),
                triggerOf(x),
                el('span', {}, badge(x.status), x.error ? el('span', {class: 'replication-error'}, x.error) : null),
                el('span', {}, time(x.started_at), x.finished_at ? el('span', {class: 'hint'}, 'finished ', time(x.finished_at)) : null),
                taskCounts(x.tasks),
                progress(x),
                el('span', {class: 'buttons', 'data-execution': x.id}, executionButtons(x, () => refresh())),
            ]), 'No executions yet: Run now starts one.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, refresh, 'Cannot list the executions'); }));
    }, () => active, 'Cannot list the executions');

    const buttons = el('div', {class: 'buttons'}, ruleButtons(r, () => reload(), () => { location.hash = '#/replication'; }));
    section.append(back,
        el('h1', {}, `Replication: ${r.name}`, r.enabled ? null : [' ', el('span', {class: 'badge'}, 'disabled')]),
        facts(r), buttons,
        el('h2', {}, 'Executions'), results);
    await refresh();
    return section;
}

function facts(r) {
    const f = r.filters || {};
    const d = r.destination || {};
    const row = (term, ...value) => [el('dt', {}, term), el('dd', {}, ...value)];
    const direction = DIRECTIONS.find(([v]) => v === r.direction);
    return el('dl', {class: 'facts rule-facts'},
        r.description ? row('Description', r.description) : null,
        row('Direction', direction ? direction[1] : r.direction),
        row('Registry', r.registry),
        row('Repositories', f.repository ? el('code', {}, f.repository) : 'all'),
        row('Tags', f.tag ? [f.tag_match === 'exclude' ? 'all but ' : 'only ', el('code', {}, f.tag)] : 'all'),
        row('Artifact type', f.artifact_type || 'all'),
        row('Destination', d.path === 'replace' || d.path === 'flatten' ? `${d.path} with ${d.namespace}` : 'same path'),
        row('Trigger', triggerText(r.trigger)),
        row('Options', [r.override ? 'replaces differing tags' : 'keeps differing tags',
            r.replicate_deletion ? 'deletes what is deleted here' : null,
            r.bandwidth_kbps ? `at most ${r.bandwidth_kbps} KiB/s` : 'no bandwidth cap'].filter(Boolean).join(', ')),
        row('Last changed', time(r.updated_at || r.created_at)));
}

/** How an execution started: manual, cron, retry of #N, or an event with the artifact it copies (its scope). */
function triggerOf(x) {
    if (x.retry_of) {
        return `retry of #${x.retry_of}`;
    }
    const s = x.scope;
    if (s && s.repository) {
        const at = s.reference && s.reference.includes(':') ? '@' : ':';
        return `${x.trigger}: ${s.operation || ''} ${s.repository}${s.reference ? at + s.reference : ''}`.replace(/: +/, ': ');
    }
    return x.trigger;
}

function taskCounts(t) {
    if (!t) {
        return el('span', {class: 'muted'}, '–');
    }
    const parts = [`${t.succeeded} succeeded`];
    if (t.failed) {
        parts.push(`${t.failed} failed`);
    }
    if (t.skipped) {
        parts.push(`${t.skipped} skipped`);
    }
    if (t.running || t.pending) {
        parts.push(`${t.running} running, ${t.pending} waiting`);
    }
    return el('span', {class: 'task-counts', 'data-total': t.total, 'data-failed': t.failed}, `${parts.join(', ')} of ${t.total}`);
}

function progress(x) {
    const total = x.bytes_total || 0;
    const done = x.bytes_done || 0;
    const percent = total > 0 ? Math.min(100, Math.floor(done * 100 / total)) : ACTIVE.has(x.status) ? 0 : 100;
    const fill = el('span', {class: x.status === 'failed' ? 'fill failed' : 'fill physical'});
    fill.style.width = `${percent}%`; // CSSOM, allowed by the style-src CSP
    return el('span', {class: 'replication-progress'},
        el('span', {class: 'bar', role: 'progressbar', 'aria-label': `Bytes copied by execution ${x.id}`, 'aria-valuemin': 0,
            'aria-valuemax': 100, 'aria-valuenow': percent}, fill),
        el('span', {class: 'bar-value'}, `${bytes(done)} of ${bytes(total)}`));
}

/** Retry failed (a finished execution with failed tasks) and Stop (a running one). */
function executionButtons(x, after) {
    const buttons = [];
    if (!ACTIVE.has(x.status) && x.tasks && x.tasks.failed > 0) {
        const retry = el('button', {type: 'button', class: 'secondary small', 'data-action': 'retry',
            'aria-label': `Retry the failed tasks of execution ${x.id}`}, 'Retry failed');
        retry.addEventListener('click', () => busy(retry, async () => {
            const again = await api.post(`replication/executions/${x.id}/retry`);
            showInfo(`Execution ${again.id} retries the ${x.tasks.failed} failed task${x.tasks.failed === 1 ? '' : 's'} of execution ${x.id}.`);
            await after(again);
        }, 'Cannot retry'));
        buttons.push(retry);
    }
    if (ACTIVE.has(x.status)) {
        const stop = el('button', {type: 'button', class: 'danger small', 'data-action': 'stop', 'aria-label': `Stop execution ${x.id}`,
            disabled: Boolean(x.stop_requested)}, x.stop_requested ? 'Stopping…' : 'Stop');
        stop.addEventListener('click', () => busy(stop, async () => {
            await api.post(`replication/executions/${x.id}/stop`);
            showInfo(`Execution ${x.id} is asked to stop.`);
            await after();
        }, 'Cannot stop'));
        buttons.push(stop);
    }
    return buttons;
}

// ---------------------------------------------------------------------------------- an execution's tasks

async function executionPage(name, id) {
    const back = el('p', {class: 'crumbs'}, el('a', {href: ruleHref(name)}, `‹ Rule ${name}`));
    const first = await orMissing(() => api.get(`replication/executions/${encodeURIComponent(id)}`), back, 'execution');
    if (first instanceof Node) {
        return first;
    }
    const section = el('section', {class: 'replication-execution', 'data-execution': first.id});
    const summary = el('div', {class: 'card execution-summary', 'aria-live': 'polite'});
    const results = el('div', {class: 'task-list'});
    const status = el('select', {name: 'task_status'}, el('option', {value: ''}, 'all'),
        TASK_STATUSES.map(s => el('option', {value: s}, s)));
    let page = 1;
    let x = first;

    const refresh = poller(section, async () => {
        const [execution, tasks] = await Promise.all([
            api.get(`replication/executions/${x.id}`),
            api.list(`replication/executions/${x.id}/tasks`, {status: status.value, page, page_size: PAGE_SIZE}),
        ]);
        x = execution;
        summary.dataset.status = x.status;
        // through el(): replaceChildren would show a null as the text "null"
        summary.replaceChildren(el('div', {},
            el('p', {}, badge(x.status), ' ', triggerOf(x), ', started ', time(x.started_at),
                x.finished_at ? [', finished ', time(x.finished_at)] : null),
            x.error ? el('p', {class: 'replication-error'}, x.error) : null,
            el('p', {}, taskCounts(x.tasks)), progress(x),
            el('div', {class: 'buttons'}, executionButtons(x, again => {
                if (again && again.id) {
                    location.hash = `${ruleHref(name)}/${again.id}`;
                    return undefined;
                }
                return refresh();
            }))));
        results.replaceChildren(
            table('!Tasks', ['Status', 'Operation', 'Source', 'Destination', 'Digest', 'Bytes', 'Duration', 'Error or reason'], tasks.data.map(t => [
                badge(t.status), t.operation, el('code', {}, t.source), el('code', {}, t.destination),
                t.digest ? el('code', {title: t.digest}, shortDigest(t.digest)) : el('span', {class: 'muted'}, '–'),
                t.bytes === null || t.bytes === undefined ? el('span', {class: 'muted'}, '–') : bytes(t.bytes),
                t.duration_ms === null || t.duration_ms === undefined ? el('span', {class: 'muted'}, '–') : `${t.duration_ms} ms`,
                t.error ? el('span', {class: 'replication-error'}, t.error)
                    : el('span', {class: 'muted'}, t.reason || '–'), // reason: why a task was skipped
            ]), status.value ? `No ${status.value} tasks.` : 'No tasks (yet).'),
            pager(page, PAGE_SIZE, tasks.total, p => { page = p; busy(null, refresh, 'Cannot list the tasks'); }));
    }, () => ACTIVE.has(x.status), 'Cannot read the execution');

    status.addEventListener('change', () => { page = 1; busy(null, refresh, 'Cannot list the tasks'); });
    section.append(back, el('h1', {}, `Replication: ${name}, execution #${first.id}`), summary,
        el('h2', {}, 'Tasks'),
        el('div', {class: 'field task-filter'}, el('label', {for: status.id = 'task-status'}, 'Show tasks'), status),
        results);
    await refresh();
    return section;
}
