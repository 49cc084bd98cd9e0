// Building the DOM without HTML strings: data always goes in as text nodes.

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
