// Building the DOM without HTML strings: data always goes in as text nodes.

import { onProgress } from './api.js';

/**
 * Creates an element. `props`: attributes, `class`, `value`/`checked` (set as properties),
 * and `onEvent` listeners. Children: nodes or values shown as text.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  appendChildren(el, children);
  return el;
}

export function appendChildren(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
}

/** « 2026-11-28 » → « 28/11/2026 ». */
export function frDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
}

/** Text shown in place of an empty value. */
export const dash = (v) => (v === null || v === undefined || v === '' ? '—' : v);

let uid = 0;
/** A fresh id for label/input pairs. */
export const nextId = (prefix) => `${prefix}-${++uid}`;

/**
 * « Exporter le dossier (audit) » with a folder chosen in a dialog, or typed: a small panel.
 * `run(folder)` returns { path } or null when cancelled.
 */
export function exportPanel(run) {
  const id = nextId('x');
  const folder = h('input', { type: 'text', id, placeholder: 'Dossier de destination' });
  const status = h('p', { role: 'status', class: 'muted' });
  const go = (useDialog) => async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    status.textContent = 'Export en cours…';
    const stop = await onProgress((p) => {
      if (p.what === 'export' && p.done < p.total) status.textContent = `Export en cours… ${p.done} / ${p.total}`;
    }).catch(() => () => {});
    try {
      const r = await run(useDialog ? null : folder.value);
      status.textContent = r ? `Dossier exporté : ${r.path}` : '';
    } catch (err) {
      status.textContent = Object.values(err?.fields ?? {})[0] ?? err?.message ?? String(err);
    } finally {
      stop();
      button.disabled = false;
    }
  };
  return h('div', { class: 'export-panel' },
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button', onClick: go(true) }, 'Exporter le dossier (audit)…'),
      h('div', { class: 'field grow' }, h('label', { for: id }, 'ou dans le dossier'), folder),
      h('button', { type: 'button', class: 'button', onClick: go(false) }, 'Exporter dans ce dossier')),
    status);
}
