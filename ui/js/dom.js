// Building the DOM without HTML strings (data always goes in as text nodes); the one field
// helper every form uses; how a refusal from the core is shown.

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

/** What to show for a refusal `{ kind, message, fields? }` (or anything thrown). */
export const errorMessage = (err) => err?.message ?? String(err);

/**
 * A labelled form control. Wires `for`/`id`, `aria-describedby` and `aria-invalid`, and
 * returns `{ wrapper, input, setError }`; `setError(message)` shows the message under the
 * control, `setError(null)` clears it. `inline`: a checkbox or radio inside its label.
 * While an error shows, it alone describes the control (the hint is visible beside it);
 * otherwise the hint does.
 */
export function field({ label, input, hint, required = false, inline = false, className }) {
  const id = input.id || nextId('f');
  input.id = id;
  const star = required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const error = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
  const wrapper = inline
    ? h('div', { class: className ?? 'check-item' }, h('label', { class: 'choice', for: id }, input, ' ', label, star), hintEl, error)
    : h('div', { class: className ?? 'field' }, h('label', { for: id }, label, star), input, hintEl, error);
  const describe = (by) => (by ? input.setAttribute('aria-describedby', by) : input.removeAttribute('aria-describedby'));
  const setError = (message) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    wrapper.classList.toggle('invalid', Boolean(message));
    describe(message ? error.id : hintEl?.id);
  };
  describe(hintEl?.id);
  return { wrapper, input, setError };
}

/**
 * A group of radio buttons or checkboxes under one legend, with one error line:
 * `items` are `[value, text, checked]`. Returns `{ wrapper, input, inputs, setError, picked }`.
 */
export function choices({ name, legend, type, items, required = false }) {
  const error = h('p', { class: 'field-error', id: nextId('err'), hidden: true });
  const inputs = items.map(([value, text, checked]) => h('input', { type, id: nextId('c'), name, value, checked: Boolean(checked) }));
  const wrapper = h('fieldset', { class: 'choices', 'aria-describedby': error.id },
    h('legend', {}, legend, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'choice-row' }, inputs.map((input, i) => h('label', { class: 'choice', for: input.id }, input, ' ', items[i][1]))),
    error);
  const setError = (message) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    for (const input of inputs) {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    wrapper.classList.toggle('invalid', Boolean(message));
  };
  const picked = () => inputs.filter((i) => i.checked).map((i) => i.value);
  return { wrapper, input: inputs[0], inputs, setError, picked };
}

/**
 * Shows a refusal on a form: each field message next to its field (`fields`: a Map from the
 * core's keys to what `field`/`choices` return; `alias(key)` maps a core key the form names
 * differently), and in `summary`, if given, the message with the messages no field took.
 * Focuses the first refused control. `clearErrors` undoes it.
 */
export function showErrors(fields, err, { summary, alias = (key) => key } = {}) {
  clearErrors(fields, summary);
  const rest = [];
  for (const [key, message] of Object.entries(err?.fields ?? {})) {
    const f = fields.get(alias(key));
    if (f) f.setError(message);
    else rest.push(message);
  }
  if (summary) {
    summary.hidden = false;
    replace(summary, errorMessage(err), rest.map((m) => [h('br'), m]));
  }
  const first = [...fields.values()].map((f) => f.input).find((i) => i.getAttribute('aria-invalid') === 'true');
  first?.focus();
  return rest;
}

/**
 * Shows a refusal in a status line that has no fields of its own: the message, then any field
 * message (a refusal the core still keys by a field). `el`'s text is replaced.
 */
export const showRefusal = (el, err) => showErrors(new Map(), err, { summary: el });

export function clearErrors(fields, summary) {
  for (const f of fields.values()) f.setError(null);
  if (summary) summary.hidden = true;
}

/**
 * A long backup run shown in `status`: `busy(button, text, work)` disables the button, shows
 * `text` with the backup's progress (`done / total` and `unit`), runs `work`, and shows a
 * refusal in place.
 */
export function backupRunner(status, unit = '') {
  return async (button, text, work) => {
    button.disabled = true;
    status.className = 'muted';
    status.textContent = text;
    const stop = await onProgress((p) => {
      if (p.what === 'sauvegarde' && p.done < p.total) status.textContent = `${text} ${p.done} / ${p.total}${unit}`;
    }).catch(() => () => {});
    try {
      await work();
    } catch (err) {
      status.className = 'banner banner-error';
      showRefusal(status, err);
    } finally {
      stop();
      button.disabled = false;
    }
  };
}

/**
 * « Exporter le dossier (audit) » with a folder chosen in a dialog, or typed: a small panel.
 * `run(folder)` returns { path } or null when cancelled; `label` names the dialog's button.
 */
export function exportPanel(run, label = 'Exporter le dossier (audit)…') {
  const folder = field({ label: 'ou dans le dossier', className: 'field grow', input: h('input', { type: 'text', placeholder: 'Dossier de destination' }) });
  const status = h('p', { role: 'status', class: 'muted' });
  const go = (useDialog) => async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    status.textContent = 'Export en cours…';
    const stop = await onProgress((p) => {
      if (p.what === 'export' && p.done < p.total) status.textContent = `Export en cours… ${p.done} / ${p.total}`;
    }).catch(() => () => {});
    try {
      const r = await run(useDialog ? null : folder.input.value);
      status.textContent = r ? `Dossier exporté : ${r.path}` : '';
    } catch (err) {
      showRefusal(status, err);
    } finally {
      stop();
      button.disabled = false;
    }
  };
  return h('div', { class: 'export-panel' },
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button', onClick: go(true) }, label),
      folder.wrapper,
      h('button', { type: 'button', class: 'button', onClick: go(false) }, 'Exporter dans ce dossier')),
    status);
}
