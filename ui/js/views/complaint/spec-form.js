// The small forms of the complaint page (an action, a journal entry, a letter sent…), built
// from field specs like those the core gives for each action.

import { h, frDate, field, choices, showErrors, clearErrors } from '../../dom.js';
import { today } from '../../api.js';

const OUTCOMES = [['maintained', 'Maintenue'], ['suspended', 'Suspendue'], ['withdrawn', 'Retirée']];

/**
 * The appeals committee's outcome for each qualification (`spec.options`: [id, label]): a
 * choice and its dates per row. `picked()` gives `[{ qualification_id, outcome, from, until }]`.
 */
function outcomesField(spec) {
  const error = h('p', { class: 'field-error', id: `err-${spec.key}`, hidden: true });
  // Each control has its own (hidden) label: the column heads say the same to the eye.
  const labelled = (text, control) => {
    control.id = `${spec.key}-${Math.random().toString(36).slice(2)}`;
    return [h('label', { for: control.id, class: 'visually-hidden' }, text), control];
  };
  const rows = spec.options.map(([id, label]) => {
    const outcome = h('select', {},
      h('option', { value: '' }, '— Choisir —'), OUTCOMES.map(([value, text]) => h('option', { value }, text)));
    const from = h('input', { type: 'text', placeholder: 'JJ/MM/AAAA', class: 'date' });
    const until = h('input', { type: 'text', placeholder: 'JJ/MM/AAAA', class: 'date' });
    return {
      id, label, outcome, from, until,
      cells: [labelled(`Décision pour ${label}`, outcome), labelled(`Du (${label})`, from), labelled(`Au (${label})`, until)],
    };
  });
  const wrapper = h('fieldset', { class: 'outcomes', 'aria-describedby': error.id, 'data-key': spec.key },
    h('legend', {}, spec.label, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    rows.length
      ? h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['Qualification ou certification', 'Décision', 'Du (suspension, retrait)', 'Au (suspension)'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((r) => h('tr', { 'data-qualification': r.id }, h('td', {}, r.label), r.cells.map((c) => h('td', {}, c))))))
      : h('p', { class: 'muted' }, 'Aucune qualification enregistrée pour ce qualifié.'),
    error);
  const setError = (message) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    wrapper.classList.toggle('invalid', Boolean(message));
  };
  const picked = () => rows.map((r) => ({
    qualification_id: Number(r.id), outcome: r.outcome.value, from: r.from.value.trim(), until: r.until.value.trim(),
  }));
  return { wrapper, input: rows[0]?.outcome ?? wrapper, setError, picked };
}

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
    if (spec.input === 'outcomes') {
      const group = outcomesField(spec);
      fields.set(spec.key, group);
      return group.wrapper;
    }
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
