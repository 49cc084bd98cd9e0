// The small forms of the complaint page (an action, a journal entry, a letter sent…), built
// from field specs like those the core gives for each action.

import { h, frDate, field, choices, showErrors, clearErrors } from '../../dom.js';
import { today } from '../../api.js';

/**
 * A form from specs `{ key, label, input: 'select'|'checks'|'textarea'|'date'|'text', options,
 * required, default }` (`options`: `[value, label]` pairs; `checks` gives an array of the ticked
 * values; a required date starts at today). `onSubmit(values)` returns a promise; a refusal shows its
 * message above and each field's message next to its field. Returns `{ form, fields }` (`fields`:
 * key → what `field` returns).
 */
export function specForm({ title, specs, submitLabel, onSubmit, onCancel }) {
  const fields = new Map();
  const rows = specs.map((spec) => {
    if (spec.input === 'checks') {
      const group = choices({
        name: spec.key, legend: spec.label, type: 'checkbox', required: spec.required,
        items: spec.options.map(([value, label]) => [value, label, false]),
      });
      group.wrapper.dataset.key = spec.key;
      fields.set(spec.key, group);
      return group.wrapper;
    }
    let input;
    if (spec.input === 'select') {
      input = h('select', { name: spec.key }, h('option', { value: '' }, '— Choisir —'),
        spec.options.map(([value, label]) => h('option', { value, selected: value === spec.default }, label)));
    } else if (spec.input === 'textarea') {
      input = h('textarea', { name: spec.key, rows: 3 });
    } else {
      const value = spec.input === 'date' && spec.required ? frDate(today()) : '';
      input = h('input', { name: spec.key, type: 'text', value, placeholder: spec.input === 'date' ? 'JJ/MM/AAAA' : '' });
    }
    const f = field({ label: spec.label, input, required: spec.required });
    f.wrapper.dataset.key = spec.key;
    fields.set(spec.key, f);
    return f.wrapper;
  });
  const summary = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, submitLabel);
  const form = h('form', { class: 'subform', novalidate: true, 'aria-label': title },
    h('p', { class: 'subtitle' }, title), summary, rows,
    h('div', { class: 'actions' }, submit, onCancel ? h('button', { type: 'button', class: 'button', onClick: onCancel }, 'Annuler') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    clearErrors(fields, summary);
    try {
      await onSubmit(Object.fromEntries([...fields].map(([k, f]) => [k, f.picked ? f.picked() : f.input.value])));
    } catch (err) {
      showErrors(fields, err, { summary });
      if (!form.querySelector('[aria-invalid="true"]')) summary.focus?.();
    } finally {
      submit.disabled = false;
    }
  });
  return { form, fields };
}
