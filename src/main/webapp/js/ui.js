// Small DOM helpers. Every text from the server goes in through textContent (never innerHTML),
// so names and messages cannot inject markup.

/** el('button', {class: 'x', onclick: f}, 'text', child...) */
export function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
        if (value === undefined || value === null || value === false) {
            continue;
        }
        if (key.startsWith('on') && typeof value === 'function') {
            node.addEventListener(key.substring(2), value);
        } else if (key === 'class') {
            node.className = value;
        } else if (key === 'text') {
            node.textContent = value;
        } else if (value === true) {
            node.setAttribute(key, '');
        } else {
            node.setAttribute(key, String(value));
        }
    }
    for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
}

let fieldCounter = 0;

/** A labelled form field: answers the wrapper; the control is wrapper.control. */
export function field(label, control, hint) {
    const id = control.id || `f${++fieldCounter}`;
    control.id = id;
    const wrapper = el('div', {class: 'field'}, el('label', {for: id}, label), control);
    if (hint) {
        const hintId = id + '-hint';
        control.setAttribute('aria-describedby', hintId);
        wrapper.append(el('small', {id: hintId, class: 'hint'}, hint));
    }
    wrapper.control = control;
    return wrapper;
}

/** '1 artifact', '2 artifacts' */
export function count(n, singular, plural = singular + 's') {
    return `${n} ${n === 1 ? singular : plural}`;
}

export function bytes(n) {
    if (n === null || n === undefined || n < 0) {
        return '–';
    }
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = Number(n);
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return (i === 0 ? String(v) : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
}

export function when(iso) {
    if (!iso) {
        return 'never';
    }
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
}

/** A <time> element showing a local time, the ISO instant in datetime and title. */
export function time(iso) {
    return iso ? el('time', {datetime: iso, title: iso}, when(iso)) : el('span', {class: 'muted'}, 'never');
}

export function shortDigest(digest) {
    return digest && digest.length > 19 ? digest.substring(0, 19) + '…' : digest;
}

const messages = () => document.getElementById('messages');

/** Shows an error (an ApiError or any Error) in the alert area. */
export function showError(error, context) {
    const text = error && typeof error.describe === 'function' ? error.describe() : (error && error.message) || String(error);
    const box = el('div', {class: 'message error'},
        el('span', {}, context ? `${context}: ${text}` : text),
        el('button', {type: 'button', class: 'link', 'aria-label': 'Dismiss message', onclick: e => e.target.closest('.message').remove()}, '×'));
    messages().append(box);
}

export function showInfo(text) {
    const box = el('div', {class: 'message info'}, el('span', {}, text),
        el('button', {type: 'button', class: 'link', 'aria-label': 'Dismiss message', onclick: e => e.target.closest('.message').remove()}, '×'));
    messages().append(box);
    setTimeout(() => box.remove(), 8000);
}

export function clearMessages() {
    messages().replaceChildren();
}

/**
 * A modal <dialog>: the browser keeps focus inside it and closes it with Escape; focus returns
 * to what was focused before. Answers a promise of the value passed to close(value).
 */
export function modal(title, body, actions) {
    const opener = document.activeElement;
    const titleId = `d${++fieldCounter}`;
    const dialog = el('dialog', {'aria-labelledby': titleId},
        el('h2', {id: titleId}, title), body, el('div', {class: 'actions'}, actions));
    document.body.append(dialog);
    return new Promise(resolve => {
        let value = null;
        dialog.close_with = v => { value = v; dialog.close(); };
        dialog.addEventListener('close', () => {
            dialog.remove();
            if (opener && opener.isConnected) {
                opener.focus();
            }
            resolve(value);
        });
        dialog.showModal();
        const first = dialog.querySelector('[autofocus]') || dialog.querySelector('input, button.primary, button.danger, button');
        if (first) {
            first.focus();
        }
    });
}

/** Asks before something irreversible; resolves true only when the user confirms. */
export function confirmAction(title, text, confirmLabel = 'Delete') {
    let dialog;
    const cancel = el('button', {type: 'button', class: 'secondary', autofocus: true, onclick: () => dialog.close_with(false)}, 'Cancel');
    const ok = el('button', {type: 'button', class: 'danger', 'data-confirm': '', onclick: () => dialog.close_with(true)}, confirmLabel);
    const promise = modal(title, el('p', {}, text), [cancel, ok]);
    dialog = cancel.closest('dialog');
    return promise.then(v => v === true);
}

/** Shows a secret that the server will never show again, with a copy button. */
export function showSecret(title, label, secret, note) {
    let dialog;
    const input = el('input', {type: 'text', readonly: true, value: secret, class: 'secret', 'data-secret': ''});
    const done = el('button', {type: 'button', class: 'primary', onclick: () => dialog.close_with(true)}, 'I have copied it');
    const body = el('div', {},
        el('p', {class: 'warning'}, note || 'This is the only time it is shown. Copy it now; it cannot be read again.'),
        field(label, input), copyButton(input));
    const promise = modal(title, body, [done]);
    dialog = done.closest('dialog');
    input.value = secret;
    input.select();
    return promise;
}

/** A button that copies an input's value (Clipboard API, or the selection where that is missing). */
export function copyButton(input, label = 'Copy') {
    return el('button', {
        type: 'button', class: 'secondary copy', onclick: async e => {
            const button = e.currentTarget;
            try {
                if (navigator.clipboard && window.isSecureContext) {
                    await navigator.clipboard.writeText(input.value);
                } else {
                    input.select();
                    document.execCommand('copy');
                }
                button.textContent = 'Copied';
            } catch (err) {
                input.select();
                button.textContent = 'Press Ctrl+C';
            }
            setTimeout(() => { button.textContent = label; }, 2000);
        },
    }, label);
}

/** Prev/next paging controls for a listing with X-Total-Count. */
export function pager(page, pageSize, total, go) {
    const pages = Math.max(1, Math.ceil((total || 0) / pageSize));
    if (pages === 1 && page === 1) {
        return document.createComment('a single page');
    }
    return el('nav', {class: 'pager', 'aria-label': 'Pages'},
        el('button', {type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => go(page - 1)}, '‹ Previous'),
        el('span', {}, `Page ${page} of ${pages} (${total ?? 0} in all)`),
        el('button', {type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => go(page + 1)}, 'Next ›'));
}

/** A table with a caption, header cells and rows (arrays of cells); an empty text when no rows. */
export function table(caption, headers, rows, empty = 'Nothing here yet.') {
    if (rows.length === 0) {
        return el('p', {class: 'empty'}, empty);
    }
    return el('div', {class: 'table-wrap'},
        el('table', {},
            el('caption', {class: caption.startsWith('!') ? 'visually-hidden' : ''}, caption.replace(/^!/, '')),
            el('thead', {}, el('tr', {}, headers.map(h => el('th', {scope: 'col'}, h)))),
            el('tbody', {}, rows.map(r => el('tr', {}, r.map((c, i) => el('td', {'data-label': headers[i]}, c)))))));
}

/** Runs an action from a button: disables it meanwhile and shows any error. */
export async function busy(button, action, context) {
    if (button) {
        button.disabled = true;
    }
    try {
        return await action();
    } catch (e) {
        showError(e, context);
        return undefined;
    } finally {
        if (button && button.isConnected) {
            button.disabled = false;
        }
    }
}
