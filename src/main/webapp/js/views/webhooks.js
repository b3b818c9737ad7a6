import * as api from '../api.js';
import {reload} from '../app.js';
import {busy, confirmAction, el, field, modal, pager, showInfo, showSecret, table, time} from '../ui.js';

const PAGE_SIZE = 20;
/** The event types of the API (their JSON names) and what the portal calls them. */
const EVENT_TYPES = [
    ['push_artifact', 'Artifact pushed'],
    ['pull_artifact', 'Artifact pulled'],
    ['delete_artifact', 'Artifact deleted'],
    ['delete_tag', 'Tag deleted'],
    ['quota_exceeded', 'Quota exceeded'],
    ['replication_done', 'Replication done'],
    ['replication_failed', 'Replication failed'],
    ['retention_run', 'Retention run'],
];
const FORMATS = [['harbor', 'Harbor-compatible JSON'], ['cloudevents', 'CloudEvents 1.0 (structured JSON)']];
const SECRET_NOTE = 'You will not see it again: this is the only time Berth shows the signing secret. Copy it now and give it '
    + 'to the receiver, which checks the X-Berth-Signature header (sha256= HMAC-SHA256 of the body) with it.';

/**
 * A project's webhooks (project admins and system admins; the API decides every call): the list
 * with add, edit, enable/disable, rotate secret and delete, or, with an id, that webhook's
 * delivery log. The auth header is write-only (the API answers has_auth_header) and the signing
 * secret is shown once, when the webhook is created or its secret rotated.
 */
export async function webhooks(state, project, id) {
    const base = `projects/${encodeURIComponent(project.name)}/webhooks`;
    const href = `#/projects/${encodeURIComponent(project.name)}/webhooks`;
    return id ? deliveries(base, href, id) : webhookList(base, href, project);
}

// ---------------------------------------------------------------------------------- the list

async function webhookList(base, href, project) {
    const results = el('div', {id: 'webhook-list'});
    let page = 1;

    async function load() {
        const {data, total} = await api.list(base, {page, page_size: PAGE_SIZE});
        results.replaceChildren(
            table('!Webhooks', ['Name', 'URL', 'Events', 'Format', 'Auth header', 'Enabled', 'Last delivery', 'Manage'],
                data.map(w => [
                    el('a', {href: `${href}/${w.id}`, title: 'Delivery log'}, w.name),
                    el('span', {}, el('code', {}, w.url),
                        w.verify_tls ? null : el('span', {class: 'hint', 'data-verify-tls': 'false'}, 'TLS certificate not verified')),
                    el('span', {class: 'event-list'}, w.event_types.map(t => el('span', {}, t))),
                    w.format,
                    w.has_auth_header ? 'set' : el('span', {class: 'muted'}, 'none'),
                    el('span', {class: w.enabled ? 'badge ok' : 'badge', 'data-enabled': String(w.enabled)}, w.enabled ? 'enabled' : 'disabled'),
                    lastDelivery(base, w),
                    el('span', {class: 'buttons', 'data-webhook': w.id}, webhookButtons(base, href, w)),
                ]), 'No webhooks yet.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load, 'Cannot list the webhooks'); }));
    }
    await load();
    return el('div', {}, el('h2', {}, 'Webhooks'),
        el('p', {class: 'hint'}, `Berth POSTs a JSON message to each URL when the chosen events happen in ${project.name}; `
            + 'a receiver that is down gets it later (by default up to 8 attempts over about a day).'),
        results, createForm(base));
}

/**
 * The state of the newest delivery: one small request per listed webhook, made after the list is
 * shown, so a slow answer never holds the list back.
 */
function lastDelivery(base, w) {
    const cell = el('span', {class: 'muted'}, '…');
    api.list(`${base}/${w.id}/deliveries`, {page: 1, page_size: 1}).then(({data}) => {
        const last = data && data[0];
        cell.className = '';
        cell.replaceChildren(last ? el('span', {}, stateBadge(last.state), ' ', time(last.updated_at))
            : el('span', {class: 'muted'}, 'none yet'));
    }, () => {
        cell.textContent = '–';
    });
    return cell;
}

function webhookButtons(base, href, w) {
    const path = `${base}/${w.id}`;
    const log = el('a', {href: `${href}/${w.id}`, class: 'button-link', 'data-action': 'deliveries', 'aria-label': `Delivery log of ${w.name}`}, 'Deliveries');
    const edit = el('button', {type: 'button', class: 'secondary small', 'data-action': 'edit', 'aria-label': `Edit ${w.name}`}, 'Edit');
    edit.addEventListener('click', () => editWebhook(base, w));
    const toggle = el('button', {type: 'button', class: 'secondary small', 'data-action': 'toggle',
        'aria-label': `${w.enabled ? 'Disable' : 'Enable'} ${w.name}`}, w.enabled ? 'Disable' : 'Enable');
    toggle.addEventListener('click', () => busy(toggle, async () => {
        await api.patch(path, {enabled: !w.enabled});
        showInfo(`Webhook ${w.name} ${w.enabled ? 'disabled' : 'enabled'}.`);
        await reload();
    }, `Cannot change ${w.name}`));
    const rotate = el('button', {type: 'button', class: 'secondary small', 'data-action': 'rotate', 'aria-label': `Rotate the secret of ${w.name}`}, 'Rotate secret');
    rotate.addEventListener('click', async () => {
        if (await confirmAction('Rotate the signing secret', `A new secret replaces the secret of ${w.name} now: deliveries from then on `
            + 'are signed with the new one, and a receiver that still checks with the old one rejects them.', 'Rotate')) {
            await busy(rotate, async () => {
                const answer = await api.post(`${path}/secret`);
                await showSecret(`New secret of ${w.name}`, 'Signing secret', answer.secret, SECRET_NOTE);
            }, `Cannot rotate the secret of ${w.name}`);
        }
    });
    const remove = el('button', {type: 'button', class: 'danger small', 'data-action': 'delete', 'aria-label': `Delete ${w.name}`}, 'Delete');
    remove.addEventListener('click', async () => {
        if (await confirmAction('Delete webhook', `Delete the webhook ${w.name}? Its delivery log goes with it, and what it has not `
            + 'delivered yet is not sent.')) {
            await busy(remove, async () => {
                await api.del(path);
                showInfo(`Webhook ${w.name} deleted.`);
                await reload();
            }, `Cannot delete ${w.name}`);
        }
    });
    return [log, edit, toggle, rotate, remove];
}

// ---------------------------------------------------------------------------------- add and edit

/** The event type checkboxes; at least one must be checked (the first box carries the message). */
function eventBoxes(prefix, checked) {
    const boxes = EVENT_TYPES.map(([type]) => el('input', {type: 'checkbox', name: 'event_types', value: type, id: `${prefix}-${type}`,
        checked: checked.includes(type)}));
    const validate = () => boxes[0].setCustomValidity(boxes.some(b => b.checked) ? '' : 'Choose at least one event type.');
    boxes.forEach(b => b.addEventListener('change', validate));
    validate();
    const group = el('fieldset', {class: 'check-group event-types'}, el('legend', {}, 'Events'),
        boxes.map((box, i) => el('span', {class: 'check'}, box,
            el('label', {for: box.id}, EVENT_TYPES[i][1], ' ', el('code', {}, EVENT_TYPES[i][0])))));
    group.value = () => boxes.filter(b => b.checked).map(b => b.value);
    return group;
}

function formatSelect(name, value) {
    return el('select', {name}, FORMATS.map(([v, label]) => el('option', {value: v, selected: v === value}, label)));
}

function createForm(base) {
    const name = el('input', {type: 'text', name: 'name', required: true, maxlength: 128, autocapitalize: 'none'});
    const url = el('input', {type: 'url', name: 'url', required: true, placeholder: 'https://ci.example.com/hooks/berth'});
    const events = eventBoxes('new-webhook', ['push_artifact']);
    const authHeader = el('input', {type: 'password', name: 'auth_header', autocomplete: 'new-password', placeholder: 'Bearer …'});
    const verifyTls = el('input', {type: 'checkbox', id: 'new-webhook-verify-tls', checked: true});
    const format = formatSelect('format', 'harbor');
    const enabled = el('input', {type: 'checkbox', id: 'new-webhook-enabled', checked: true});
    const create = el('button', {type: 'submit', class: 'primary'}, 'Add webhook');
    const form = el('form', {class: 'card', 'aria-labelledby': 'new-webhook'},
        el('h3', {id: 'new-webhook'}, 'New webhook'),
        field('Name', name), field('URL', url, 'http or https; Berth POSTs each event here.'),
        events,
        field('Authorization header (optional)', authHeader, 'Sent as the Authorization header of every delivery; it cannot be read back.'),
        field('Payload format', format),
        el('div', {}, el('div', {class: 'check'}, verifyTls, el('label', {for: verifyTls.id}, 'Verify the TLS certificate')),
            el('div', {class: 'check'}, enabled, el('label', {for: enabled.id}, 'Enabled'))),
        create);
    form.addEventListener('submit', e => {
        e.preventDefault();
        busy(create, async () => {
            const body = {name: name.value.trim(), url: url.value.trim(), event_types: events.value(), verify_tls: verifyTls.checked,
                format: format.value, enabled: enabled.checked};
            if (authHeader.value) {
                body.auth_header = authHeader.value;
            }
            const webhook = await api.post(base, body);
            authHeader.value = '';
            await showSecret(`Webhook ${webhook.name} added`, 'Signing secret', webhook.secret, SECRET_NOTE);
            await reload();
        }, 'Cannot add the webhook');
    });
    return form;
}

/** Edits a webhook in a dialog; sends only what changed. The auth header is sent only when typed or cleared. */
async function editWebhook(base, w) {
    let dialog;
    const name = el('input', {type: 'text', name: 'edit_name', required: true, maxlength: 128, value: w.name});
    const url = el('input', {type: 'url', name: 'edit_url', required: true, value: w.url});
    const events = eventBoxes('edit-webhook', w.event_types);
    const authHeader = el('input', {type: 'password', name: 'edit_auth_header', autocomplete: 'new-password'});
    const clearAuth = el('input', {type: 'checkbox', id: 'edit-webhook-clear-auth'});
    const verifyTls = el('input', {type: 'checkbox', id: 'edit-webhook-verify-tls', checked: w.verify_tls});
    const format = formatSelect('edit_format', w.format);
    const enabled = el('input', {type: 'checkbox', id: 'edit-webhook-enabled', checked: w.enabled});
    const body = el('form', {class: 'edit-webhook'},
        field('Name', name), field('URL', url), events,
        field('New authorization header', authHeader, w.has_auth_header ? 'A header is set; leave empty to keep it.' : 'No header is set.'),
        w.has_auth_header ? el('div', {class: 'check'}, clearAuth, el('label', {for: clearAuth.id}, 'Clear the authorization header')) : null,
        field('Payload format', format),
        el('div', {}, el('div', {class: 'check'}, verifyTls, el('label', {for: verifyTls.id}, 'Verify the TLS certificate')),
            el('div', {class: 'check'}, enabled, el('label', {for: enabled.id}, 'Enabled'))));
    body.addEventListener('submit', e => e.preventDefault());
    const cancel = el('button', {type: 'button', class: 'secondary', onclick: () => dialog.close_with(null)}, 'Cancel');
    // the dialog closes only on valid input (URL, a name, an event type); the browser shows why otherwise
    const save = el('button', {type: 'button', class: 'primary', onclick: () => body.reportValidity() && dialog.close_with(true)}, 'Save');
    const answer = modal(`Edit webhook ${w.name}`, body, [cancel, save]);
    dialog = save.closest('dialog');
    if (!await answer) {
        return;
    }
    const changes = {};
    if (name.value.trim() !== w.name) {
        changes.name = name.value.trim();
    }
    if (url.value.trim() !== w.url) {
        changes.url = url.value.trim();
    }
    const types = events.value();
    if ([...types].sort().join() !== [...w.event_types].sort().join()) {
        changes.event_types = types;
    }
    if (clearAuth.checked) {
        changes.auth_header = null; // null clears it (the API's contract)
    } else if (authHeader.value) {
        changes.auth_header = authHeader.value;
    }
    if (verifyTls.checked !== w.verify_tls) {
        changes.verify_tls = verifyTls.checked;
    }
    if (format.value !== w.format) {
        changes.format = format.value;
    }
    if (enabled.checked !== w.enabled) {
        changes.enabled = enabled.checked;
    }
    if (Object.keys(changes).length === 0) {
        return;
    }
    await busy(null, async () => {
        const saved = await api.patch(`${base}/${w.id}`, changes);
        showInfo(`Webhook ${saved && saved.name ? saved.name : w.name} saved.`);
        await reload();
    }, `Cannot save ${w.name}`);
}

// ---------------------------------------------------------------------------------- delivery log

const STATES = {pending: 'badge', delivered: 'badge ok', dead: 'badge fail'};

function stateBadge(state) {
    return el('span', {class: STATES[state] || 'badge', 'data-state': state}, state);
}

/** One webhook's deliveries, newest first, paged, each with "Redeliver". */
async function deliveries(base, href, id) {
    const back = el('p', {class: 'crumbs'}, el('a', {href}, '‹ All webhooks'));
    let w;
    try {
        w = await api.get(`${base}/${encodeURIComponent(id)}`);
    } catch (e) {
        if (e.status === 404) {
            return el('div', {}, back, el('p', {class: 'empty'}, 'This webhook does not exist (any more).'));
        }
        throw e;
    }
    const path = `${base}/${w.id}/deliveries`;
    const results = el('div', {class: 'delivery-list'});
    let page = 1;

    async function load() {
        const {data, total} = await api.list(path, {page, page_size: PAGE_SIZE});
        results.replaceChildren(
            table('!Deliveries', ['When', 'Event', 'State', 'Attempts', 'Response', 'Duration', 'Last error', 'Actions'], data.map(d => [
                time(d.updated_at),
                el('span', {}, d.event_type || el('span', {class: 'muted'}, 'unknown'), ' ', d.event_id ? el('code', {class: 'muted', title: d.event_id}, d.event_id.substring(0, 8)) : null),
                el('span', {}, stateBadge(d.state),
                    d.state === 'pending' && d.next_attempt_at ? el('span', {class: 'hint'}, 'next attempt ', time(d.next_attempt_at)) : null),
                String(d.attempts),
                d.response_code === null || d.response_code === undefined ? el('span', {class: 'muted'}, '–') : String(d.response_code),
                d.duration_ms === null || d.duration_ms === undefined ? el('span', {class: 'muted'}, '–') : `${d.duration_ms} ms`,
                d.last_error ? el('span', {class: 'delivery-error'}, d.last_error) : el('span', {class: 'muted'}, '–'),
                redeliverButton(path, d),
            ]), 'No deliveries yet: they appear here once one of the chosen events happens.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load, 'Cannot read the delivery log'); }));
    }

    function redeliverButton(path, d) {
        const button = el('button', {type: 'button', class: 'secondary small', 'data-action': 'redeliver', 'data-delivery': d.id,
            'aria-label': `Redeliver ${d.event_type || 'event'} ${d.event_id || ''}`.trim()}, 'Redeliver');
        button.addEventListener('click', () => busy(button, async () => {
            await api.post(`${path}/${encodeURIComponent(d.id)}/redeliver`);
            showInfo(d.event_type ? `The ${d.event_type} event is queued for delivery again.` : 'The event is queued for delivery again.');
            await load();
        }, 'Cannot redeliver'));
        return button;
    }

    const refresh = el('button', {type: 'button', class: 'secondary', 'data-action': 'refresh-deliveries'}, 'Refresh');
    refresh.addEventListener('click', () => busy(refresh, load, 'Cannot read the delivery log'));
    await load();
    return el('section', {class: 'webhook-deliveries', 'data-webhook': w.id, 'aria-labelledby': 'deliveries-h'},
        back,
        el('h2', {id: 'deliveries-h'}, 'Deliveries of ', w.name),
        el('p', {class: 'hint'}, el('code', {}, w.url), ` · ${w.event_types.join(', ')} · ${w.format} · ${w.enabled ? 'enabled' : 'disabled'}`),
        el('div', {class: 'buttons'}, refresh),
        results);
}
