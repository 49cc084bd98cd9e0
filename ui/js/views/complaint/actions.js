// « Suite de la procédure »: what to do next, and the actions the core allows at this step.

import * as api from '../../api.js';
import { h, replace } from '../../dom.js';
import { setFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';
import { specForm } from './spec-form.js';

/** The card; `show(page)` gives the page the core answered the action with (no second read). */
export function actionsCard(c, show) {
  const slot = h('div', { class: 'action-slot' });
  const buttons = c.workflow.actions.map((action) => h('button', {
    type: 'button',
    class: 'button',
    onClick: () => {
      const { form, fields } = specForm({
        title: action.label,
        specs: action.fields,
        submitLabel: 'Valider',
        onCancel: () => slot.replaceChildren(),
        onSubmit: async (values) => {
          const page = await api.performAction(c.id, currentStaffId(), { action: action.code, ...values });
          setFlash(`Enregistré : ${action.label}.`);
          show(page);
        },
      });
      replace(slot, form);
      (fields.get('choice') ?? fields.get('text') ?? fields.get('date'))?.input.focus();
    },
  }, action.label));
  // What an action still waits for: the core refuses it, naming the same letters.
  const waiting = c.workflow.actions.filter((a) => a.waiting_for.length).map((a) => h('li', {},
    h('strong', {}, `Avant « ${a.label} » : `), a.waiting_for.join(' ')));
  return h('section', { class: 'card', 'aria-labelledby': 'h-actions' },
    h('h2', { id: 'h-actions' }, 'Suite de la procédure'),
    h('p', { class: 'next-hint' }, h('strong', {}, 'Prochaine étape : '), c.workflow.next_hint),
    buttons.length ? h('div', { class: 'action-buttons procedure-actions' }, buttons) : null,
    waiting.length ? h('ul', { class: 'waiting-for', 'aria-label': 'Courriers attendus' }, waiting) : null,
    slot);
}
