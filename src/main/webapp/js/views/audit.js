import * as api from '../api.js';
import {busy, el, field, pager, table, time} from '../ui.js';

const PAGE_SIZE = 25;
const OPERATIONS = ['push', 'pull', 'delete', 'tag_add', 'login', 'login_failed', 'project_create', 'project_update',
    'project_delete', 'member_add', 'member_update', 'member_remove', 'robot_create', 'robot_update', 'robot_delete',
    'user_create', 'user_update', 'password_change', 'token_create', 'token_revoke', 'quota_update', 'gc',
    'immutable_rule_create', 'immutable_rule_update', 'immutable_rule_delete', 'retention_update', 'retention_run',
    'registry_create', 'registry_update', 'registry_delete', 'webhook_create', 'webhook_update', 'webhook_delete',
    'replication_rule_create', 'replication_rule_update', 'replication_rule_delete', 'replication_start', 'replication_retry',
    'replication_stop', 'evict'];

/** The whole audit log (system administrators; the API decides). */
export async function auditView() {
    return el('section', {}, el('h1', {}, 'Audit log'), await auditTable('audit-logs', true));
}

/** A filterable, paged audit table over one audit-logs endpoint. */
export async function auditTable(path, withProject) {
    const results = el('div', {class: 'audit-list'});
    const project = el('input', {type: 'text', name: 'project', autocapitalize: 'none'});
    const username = el('input', {type: 'text', name: 'username', autocapitalize: 'none'});
    const operation = el('select', {name: 'operation'}, el('option', {value: ''}, 'any'), OPERATIONS.map(o => el('option', {value: o}, o)));
    const from = el('input', {type: 'datetime-local', name: 'from'});
    const to = el('input', {type: 'datetime-local', name: 'to'});
    let page = 1;
    const instant = input => (input.value ? new Date(input.value).toISOString() : undefined);

    async function load() {
        const query = {page, page_size: PAGE_SIZE, username: username.value.trim(), operation: operation.value,
            from: instant(from), to: instant(to)};
        if (withProject) {
            query.project = project.value.trim();
        }
        const {data, total} = await api.list(path, query);
        results.replaceChildren(
            table('!Audit entries', ['When', 'Who', 'Operation', 'Resource', 'Result', 'Source'], data.map(a => [
                time(a.at),
                `${a.username || 'anonymous'}${a.kind && a.kind !== 'user' ? ` (${a.kind})` : ''}`,
                a.operation,
                el('span', {}, a.resource_type ? `${a.resource_type} ` : '', el('code', {}, a.resource || ''),
                    a.detail ? el('small', {class: 'muted'}, ` ${a.detail}`) : null),
                el('span', {class: a.result === 'success' ? 'badge ok' : 'badge fail'}, a.result),
                a.source_ip || '',
            ]), 'No matching entries.'),
            pager(page, PAGE_SIZE, total, p => { page = p; busy(null, load, 'Cannot read the audit log'); }));
    }

    const form = el('form', {class: 'inline filters', 'aria-label': 'Filter the audit log'},
        withProject ? field('Project', project) : null, field('User', username), field('Operation', operation),
        field('From', from), field('To', to), el('button', {type: 'submit', class: 'secondary'}, 'Filter'));
    form.addEventListener('submit', e => { e.preventDefault(); page = 1; busy(null, load, 'Cannot read the audit log'); });
    await load();
    return el('div', {}, form, results);
}
