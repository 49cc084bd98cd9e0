// « Journal »: the timeline of the complaint, its integrity check, and entries typed by hand.

import * as api from '../../api.js';
import { h, replace, frDate, errorMessage } from '../../dom.js';
import { setFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';
import { pairs, term } from '../../vocabulary.js';
import { specForm } from './spec-form.js';

export function journalCard(c, reload) {
  const result = h('p', { class: 'integrity', role: 'status', hidden: true });
  const verify = h('button', {
    type: 'button',
    class: 'button',
    onClick: async () => {
      result.hidden = false;
      try {
        const r = await api.verifyJournal(c.id);
        result.className = `integrity ${r.intact ? 'banner banner-success' : 'banner banner-error'}`;
        result.textContent = r.message;
      } catch (err) {
        result.className = 'integrity banner banner-error';
        result.textContent = errorMessage(err);
      }
    },
  }, 'Vérifier l’intégrité');

  const slot = h('div', {});
  const add = h('button', {
    type: 'button',
    class: 'button',
    onClick: () => {
      const { form, fields } = specForm({
        title: 'Ajouter au journal',
        submitLabel: 'Ajouter au journal',
        specs: [
          { key: 'kind', label: 'Type', input: 'select', options: pairs('journal_kinds', (k) => k.manual), required: true },
          { key: 'date', label: 'Date', input: 'date', options: [], required: true },
          { key: 'participants', label: 'Participants', input: 'text', options: [], required: false },
          { key: 'corrects_seq', label: 'N° de l’entrée corrigée', input: 'text', options: [], required: false },
          { key: 'summary', label: 'Résumé', input: 'textarea', options: [], required: true },
        ],
        onCancel: () => slot.replaceChildren(),
        onSubmit: async (v) => {
          const seq = v.corrects_seq.trim();
          await api.addJournalEntry(c.id, currentStaffId(), {
            ...v,
            corrects_seq: seq ? Number(seq.replace(/^n°\s*/i, '')) || -1 : null,
          });
          setFlash('Entrée ajoutée au journal.');
          await reload();
        },
      });
      const kind = fields.get('kind').input;
      const show = () => {
        fields.get('participants').wrapper.hidden = !term('journal_kinds', kind.value)?.participants;
        fields.get('corrects_seq').wrapper.hidden = kind.value !== 'correction';
      };
      kind.addEventListener('change', show);
      show();
      replace(slot, form);
      kind.focus();
    },
  }, 'Ajouter au journal');

  return h('section', { class: 'card', 'aria-labelledby': 'h-journal' },
    h('div', { class: 'card-head' }, h('h2', { id: 'h-journal' }, 'Journal'), h('div', { class: 'action-buttons' }, add, verify)),
    result, slot,
    h('ol', { class: 'timeline', 'aria-label': 'Journal' }, c.journal.map((e) => h('li', { 'data-seq': e.seq },
      h('div', { class: 'timeline-head' },
        h('strong', {}, frDate(e.occurred_on)), ` — n° ${e.seq} — ${e.kind_label} — ${e.author}`,
        e.corrects_seq ? ` — corrige l’entrée n° ${e.corrects_seq}` : ''),
      h('div', {}, e.summary),
      e.participants ? h('div', { class: 'muted' }, `Participants : ${e.participants}`) : null,
      e.details ? h('div', { class: 'prose detail' }, e.details) : null))));
}
