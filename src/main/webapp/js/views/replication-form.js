import {el, field} from '../ui.js';

/** The fields of a replication rule as the API names their values, and what the portal calls them. */
export const DIRECTIONS = [['push', 'Push: from this Berth to the registry'], ['pull', 'Pull: from the registry into this Berth']];
const TAG_MATCH = [['include', 'Only tags that match'], ['exclude', 'All tags but those that match']];
const PATHS = [
    ['keep', 'Keep the path (a/b/c stays a/b/c)'],
    ['replace', 'Replace the first segment (a/b/c becomes NAMESPACE/b/c)'],
    ['flatten', 'Flatten (a/b/c becomes NAMESPACE/c)'],
];
export const TRIGGERS = [['manual', 'Manual'], ['cron', 'Schedule (cron)'], ['event', 'On push and delete (push rules)']];
const ARTIFACT_TYPES = ['image', 'index'];

function select(name, options, value) {
    return el('select', {name}, options.map(([v, label]) => el('option', {value: v, selected: v === value}, label)));
}

function check(id, label, checked, hint) {
    const box = el('input', {type: 'checkbox', id, checked});
    const wrapper = el('div', {class: 'check-field'}, el('div', {class: 'check'}, box, el('label', {for: id}, label)),
        hint ? el('small', {class: 'hint'}, hint) : null);
    wrapper.control = box;
    return wrapper;
}

/**
 * The rule's fields, for the "new rule" card (prefix '') and the edit dialog (prefix 'edit_': no
 * name, which cannot change). registries: the endpoints of /api/v1/registries. Answers the form
 * element with value() (the whole rule as the API takes it) and changes(rule) (only what differs).
 */
export function ruleForm(rule, registries, prefix = '') {
    const r = rule || {};
    const filters = r.filters || {};
    const destination = r.destination || {};
    const trigger = r.trigger || {type: 'manual'};
    const id = part => `${prefix || 'new-'}rule-${part}`;

    const name = prefix ? null : el('input', {type: 'text', name: 'name', required: true, maxlength: 64,
        pattern: '[a-z0-9._\\-]{1,64}', autocapitalize: 'none'});
    const description = el('input', {type: 'text', name: `${prefix}description`, maxlength: 1024, value: r.description || ''});
    const direction = select(`${prefix}direction`, DIRECTIONS, r.direction || 'push');
    const known = registries.some(e => e.name === r.registry);
    const registry = el('select', {name: `${prefix}registry`, required: true},
        el('option', {value: ''}, registries.length ? 'Choose a registry endpoint' : 'No registry endpoint yet: add one under Registries'),
        registries.map(e => el('option', {value: e.name, selected: e.name === r.registry}, `${e.name} (${e.url})`)),
        r.registry && !known ? el('option', {value: r.registry, selected: true}, r.registry) : null);
    const repository = el('input', {type: 'text', name: `${prefix}repository`, value: filters.repository || '',
        placeholder: 'team/**', autocapitalize: 'none'});
    const tag = el('input', {type: 'text', name: `${prefix}tag`, value: filters.tag || '', placeholder: 'v*', autocapitalize: 'none'});
    const tagMatch = select(`${prefix}tag_match`, TAG_MATCH, filters.tag_match || 'include');
    const listId = id('artifact-types');
    const artifactType = el('input', {type: 'text', name: `${prefix}artifact_type`, value: filters.artifact_type || '',
        list: listId, autocapitalize: 'none'});
    const namespace = el('input', {type: 'text', name: `${prefix}namespace`, value: destination.namespace || '', autocapitalize: 'none'});
    const path = select(`${prefix}path`, PATHS, destination.path || 'keep');
    const triggerType = select(`${prefix}trigger`, TRIGGERS, trigger.type);
    const cron = el('input', {type: 'text', name: `${prefix}cron`, value: trigger.cron || '', placeholder: '0 3 * * *'});
    const cronField = field('Schedule', cron, 'Five fields: minute hour day-of-month month day-of-week, in the server\'s time zone.');
    const override = check(id('override'), 'Replace a destination tag that points at another artifact',
        r.override === undefined ? true : r.override);
    const deletion = check(id('replicate-deletion'), 'Delete at the destination what is deleted here', Boolean(r.replicate_deletion),
        'Only for push rules triggered on push and delete.');
    const bandwidth = el('input', {type: 'number', name: `${prefix}bandwidth_kbps`, min: '0', step: '1', value: String(r.bandwidth_kbps || 0)});
    const enabled = check(id('enabled'), 'Enabled', r.enabled === undefined ? true : r.enabled);

    // what depends on another choice: the schedule, the namespace, the event trigger of push rules
    function sync() {
        cronField.hidden = triggerType.value !== 'cron';
        cron.required = triggerType.value === 'cron'; // a hidden field must not block the form
        namespace.required = path.value !== 'keep';
        const eventOption = triggerType.querySelector('option[value=event]');
        eventOption.disabled = direction.value !== 'push';
        triggerType.setCustomValidity(direction.value !== 'push' && triggerType.value === 'event'
            ? 'Only push rules can run on push and delete.' : '');
        deletion.control.disabled = !(direction.value === 'push' && triggerType.value === 'event');
    }
    [direction, triggerType, path].forEach(s => s.addEventListener('change', sync));
    sync();

    const form = el('form', {class: prefix ? 'rule-form edit-rule' : 'rule-form'},
        name ? field('Name', name, 'Lower case letters, digits, . _ and -; it cannot be changed later.') : null,
        field('Description (optional)', description),
        el('div', {class: 'rule-row'}, field('Direction', direction), field('Registry', registry)),
        el('fieldset', {class: 'check-group'}, el('legend', {}, 'Source filter'),
            field('Repositories', repository, '* within a segment, ** any depth, ? one character; empty: all.'),
            el('div', {class: 'rule-row'}, field('Tags', tag, 'A glob; empty: all tags.'), field('Tags matching it', tagMatch)),
            field('Artifact type', artifactType, 'Empty: all; image, index, or a config or artifact media type.'),
            el('datalist', {id: listId}, ARTIFACT_TYPES.map(t => el('option', {value: t})))),
        el('fieldset', {class: 'check-group'}, el('legend', {}, 'Destination'),
            field('Path', path),
            field('Namespace', namespace, 'Needed to replace or flatten.')),
        el('div', {class: 'rule-row'}, field('Trigger', triggerType), cronField),
        field('Bandwidth cap (KiB/s)', bandwidth, '0: no cap. Over the whole run.'),
        override, deletion, enabled);
    form.addEventListener('submit', e => e.preventDefault());

    form.value = () => ({
        ...(name ? {name: name.value.trim()} : {}),
        description: description.value.trim(),
        direction: direction.value,
        registry: registry.value,
        filters: {
            repository: repository.value.trim(),
            tag: tag.value.trim(),
            tag_match: tagMatch.value,
            artifact_type: artifactType.value.trim() || null,
        },
        destination: {namespace: namespace.value.trim(), path: path.value},
        trigger: {type: triggerType.value, cron: triggerType.value === 'cron' ? cron.value.trim() : null},
        override: override.control.checked,
        replicate_deletion: !deletion.control.disabled && deletion.control.checked,
        bandwidth_kbps: Number(bandwidth.value) || 0,
        enabled: enabled.control.checked,
    });

    /** The top-level fields of value() that differ from the rule's (objects compared as a whole). */
    form.changes = current => {
        const value = form.value();
        const changes = {};
        for (const [key, v] of Object.entries(value)) {
            if (JSON.stringify(normalized(key, v)) !== JSON.stringify(normalized(key, current[key]))) {
                changes[key] = v;
            }
        }
        return changes;
    };
    return form;
}

/** A field as the form produces it, so that an absent "" or null from the API compares equal. */
function normalized(key, v) {
    if (key === 'filters') {
        const f = v || {};
        return [f.repository || '', f.tag || '', f.tag_match || 'include', f.artifact_type || null];
    }
    if (key === 'destination') {
        const d = v || {};
        return [d.namespace || '', d.path || 'keep'];
    }
    if (key === 'trigger') {
        const t = v || {};
        return [t.type || 'manual', t.type === 'cron' ? t.cron || '' : null];
    }
    if (key === 'description') {
        return v || '';
    }
    return v === undefined ? null : v;
}

/** A rule's trigger in words: "manual", "cron 0 3 * * *", "on push". */
export function triggerText(trigger) {
    if (!trigger || !trigger.type) {
        return 'manual';
    }
    if (trigger.type === 'cron') {
        return `cron ${trigger.cron || ''}`.trim();
    }
    return trigger.type === 'event' ? 'on push and delete' : trigger.type;
}
