import * as api from '../api.js';
import {busy, bytes, confirmAction, el, table, time} from '../ui.js';

const KINDS = [
    ['blobs', 'Blobs'],
    ['links', 'Blob links of repositories'],
    ['manifests', 'Untagged manifests'],
    ['upload_sessions', 'Upload sessions'],
    ['orphan_files', 'Orphan files'],
];
const POLL_MS = 1000;

/** Garbage collection (system administrators; the API decides): start, watch, cancel, history. */
export async function gcView() {
    const section = el('section', {class: 'gc'}, el('h1', {}, 'Garbage collection'));
    const settings = el('p', {class: 'muted gc-settings'});
    const live = el('div', {class: 'gc-live', 'aria-live': 'polite'});
    const history = el('div', {class: 'gc-history'});

    const dryRun = el('input', {type: 'checkbox', name: 'dry_run', checked: true});
    const untagged = el('input', {type: 'checkbox', name: 'delete_untagged'});
    const start = el('button', {type: 'submit', class: 'primary'}, 'Start garbage collection');
    const form = el('form', {class: 'card', 'aria-labelledby': 'gc-start'},
        el('h2', {id: 'gc-start'}, 'Run now'),
        el('div', {class: 'check'}, dryRun, el('label', {for: dryRun.id = 'gc-dry-run'}, 'Dry run: delete nothing, report what would be deleted')),
        el('div', {class: 'check'}, untagged, el('label', {for: untagged.id = 'gc-delete-untagged'},
            'Delete untagged artifacts (kept: children of tagged indexes, signatures and other referrers of kept artifacts)')),
        start);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(start, async () => {
            if (!dryRun.checked && !await confirmAction('Delete garbage now?',
                'Blobs, links, upload sessions and files that nothing uses any more are deleted for good'
                + (untagged.checked ? ', and so are untagged artifacts that nothing keeps.' : '.'), 'Start')) {
                return;
            }
            await api.post('system/gc', {dry_run: dryRun.checked, delete_untagged: untagged.checked});
            await refresh();
        }, 'Cannot start garbage collection');
    });

    let timer = null;
    async function refresh() {
        clearTimeout(timer);
        if (!section.isConnected && timer !== null) {
            return; // the user went elsewhere: stop polling
        }
        const [status, runs] = await Promise.all([api.get('system/gc'), api.list('system/gc/runs', {page: 1, page_size: 20})]);
        settings.textContent = `Kept: anything touched in the last ${duration(status.grace_seconds)}; upload sessions idle for `
            + `${duration(status.upload_expiry_seconds)} expire. Schedule: ${status.schedule ? status.schedule
                + (status.next_scheduled_run ? ` (next ${new Date(status.next_scheduled_run).toLocaleString()})` : '') : 'none'}.`;
        start.disabled = status.running !== null;
        live.replaceChildren(status.running ? running(status.running, refresh)
            : status.last ? result(status.last, 'Last run') : el('p', {class: 'empty'}, 'No run yet.'));
        history.replaceChildren(el('h2', {}, 'History'), historyTable(runs.data));
        if (status.running) {
            timer = setTimeout(() => busy(null, refresh, 'Cannot read the run'), POLL_MS);
        }
    }

    section.append(settings, form, live, history);
    await refresh();
    return section;
}

function running(run, refresh) {
    const p = run.progress;
    const fill = el('span', {class: 'fill physical'});
    fill.style.width = `${p.percent}%`; // CSSOM, allowed by the style-src CSP
    const cancel = el('button', {type: 'button', class: 'danger', disabled: run.cancel_requested}, run.cancel_requested ? 'Stopping…' : 'Cancel');
    cancel.addEventListener('click', () => busy(cancel, async () => {
        await api.post('system/gc/cancel');
        await refresh();
    }, 'Cannot cancel'));
    return el('div', {class: 'card gc-run', 'data-state': 'running', 'data-run': run.id},
        el('h2', {}, `Run ${run.id} ${run.dry_run ? '(dry run) ' : ''}is running`),
        el('div', {class: 'bar-row'},
            el('span', {class: 'bar-label'}, `Phase: ${p.phase}`),
            el('span', {class: 'bar', role: 'progressbar', 'aria-label': `Phase ${p.phase}`, 'aria-valuemin': 0,
                'aria-valuemax': 100, 'aria-valuenow': p.percent}, fill),
            el('span', {class: 'bar-value'}, `${p.percent}% of this phase`)),
        el('p', {class: 'counts'},
            el('span', {}, `${p.scanned} looked at`),
            el('span', {}, `${p.deleted} ${run.dry_run ? 'to delete' : 'deleted'}`),
            el('span', {}, `${bytes(p.freed_bytes)} ${run.dry_run ? 'to free' : 'freed'}`)),
        el('div', {class: 'buttons'}, cancel));
}

function result(run, heading) {
    const dry = run.dry_run;
    const rows = KINDS.map(([key, label]) => [label, String(run.deleted[key].count), bytes(run.deleted[key].bytes)]);
    const repositories = run.repositories.map(r => [el('code', {}, r.repository), String(r.manifests), String(r.links),
        bytes(r.link_bytes), String(r.upload_sessions), bytes(r.upload_bytes)]);
    return el('div', {class: 'card gc-run', 'data-state': run.state, 'data-run': run.id},
        el('h2', {}, `${heading}: run ${run.id}${dry ? ' (dry run)' : ''} `,
            el('span', {class: run.state === 'succeeded' ? 'badge ok' : 'badge fail'}, run.state)),
        el('p', {class: 'muted'}, 'Started ', time(run.started_at), ` by ${run.started_by}`, run.ended_at ? ', ended ' : '',
            run.ended_at ? time(run.ended_at) : '', run.delete_untagged ? '; untagged artifacts included' : ''),
        el('p', {class: 'gc-freed'}, `${dry ? 'Would free' : 'Freed'} ${bytes(run.freed_bytes)}.`),
        table(dry ? 'What a real run would delete' : 'What the run deleted', ['Kind', 'Count', 'Bytes'], rows),
        run.repositories.length ? table(`Repositories (${run.repository_count})`,
            ['Repository', 'Manifests', 'Links', 'Link bytes', 'Upload sessions', 'Upload bytes'], repositories) : null,
        run.error_count ? el('div', {class: 'gc-errors'}, el('h3', {}, `${run.error_count} errors`),
            el('ul', {}, run.errors.map(e => el('li', {}, e)))) : null);
}

function historyTable(runs) {
    return table('!Garbage collection runs', ['Run', 'Started', 'By', 'Options', 'State', 'Deleted', 'Freed'], runs.map(r => [
        String(r.id),
        time(r.started_at),
        r.trigger === 'schedule' ? 'schedule' : r.started_by,
        [r.dry_run ? 'dry run' : 'real', r.delete_untagged ? 'untagged' : ''].filter(Boolean).join(', '),
        el('span', {class: r.state === 'succeeded' ? 'badge ok' : r.state === 'running' ? 'badge' : 'badge fail'}, r.state),
        KINDS.map(([key]) => r.deleted[key].count).reduce((a, b) => a + b, 0) + (r.dry_run ? ' (would)' : ''),
        bytes(r.freed_bytes),
    ]), 'No run yet.');
}

function duration(seconds) {
    if (seconds % 86400 === 0 && seconds >= 86400) {
        return `${seconds / 86400} d`;
    }
    if (seconds % 3600 === 0 && seconds >= 3600) {
        return `${seconds / 3600} h`;
    }
    return seconds % 60 === 0 && seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`;
}
