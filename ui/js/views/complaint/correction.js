// « Corriger » on the complaint page: what intake recorded, corrected with a cause (erreur de
// saisie, changement) and a comment; the core says what changes and what follows before the
// user confirms, then records it in the journal. The values shown say « corrigé le … ».

import * as api from '../../api.js';
import { h, replace, field, choices, showErrors, clearErrors, frDate } from '../../dom.js';
import { setFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';
import { pairs, terms } from '../../vocabulary.js';

/**
 * « corrigé le 12/03/2026 » beside a value corrected since intake, or nothing. `field` may be a
 * list (a value shown from several fields, as the civility and the name): the latest correction.
 */
export function correctedMark(c, field) {
  const fields = [field].flat();
  const found = (c.corrected ?? []).filter((x) => fields.includes(x.field))
    .sort((a, b) => b.corrected_on.localeCompare(a.corrected_on))[0];
  return found ? h('span', { class: 'badge badge-neutral corrected', 'data-field': found.field }, `corrigé le ${frDate(found.corrected_on)}`) : null;
}

const input = (name, value, attrs = {}) => h('input', { type: 'text', name, value: value ?? '', ...attrs });
const area = (name, value, rows = 3) => h('textarea', { name, rows }, value ?? '');
const select = (name, options, value) => {
  const s = h('select', { name }, options.map(([v, t]) => h('option', { value: v }, t)));
  s.value = value ?? '';
  return s;
};

/** The form, prefilled with what is recorded. */
async function correctionForm(c, reload, close) {
  const firms = await api.listFirms();
  const p = c.complainant;
  const fields = new Map();
  const add = (key, label, control, opts = {}) => {
    const f = field({ label, input: control, ...opts });
    fields.set(key, f);
    return f.wrapper;
  };
  const group = (key, f) => { fields.set(key, f); return f.wrapper; };
  const role = choices({ name: 'complainant.role', legend: 'Qualité du plaignant', type: 'radio', items: pairs('complainant_roles').map(([v, t]) => [v, t, p.role === v]) });
  const natures = choices({ name: 'natures', legend: 'Nature de la réclamation', type: 'checkbox', items: terms('natures').map((t) => [t.code, t.label, c.natures.includes(t.code)]) });
  const cause = choices({ name: 'cause', legend: 'Cause de la correction', type: 'radio', required: true, items: [['error', 'Erreur de saisie', false], ['change', 'Changement (déménagement, nouveau contact…)', false]] });
  const status = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const preview = h('div', { class: 'correction-preview', role: 'status' });
  const values = () => {
    const v = (key) => fields.get(key).input.value;
    return {
      cause: cause.picked()[0] ?? '',
      comment: v('comment'),
      complaint: {
        received_on: v('received_on'),
        addressed_to: v('addressed_to'),
        registered_number: fields.has('registered_number') ? v('registered_number') : c.registered_number,
        email_subject: fields.has('email_subject') ? v('email_subject') : c.email_subject,
        complainant: {
          role: role.picked()[0] ?? '',
          civility: v('complainant.civility'),
          name: v('complainant.name'),
          organisation: v('complainant.organisation'),
          address_lines: v('complainant.address_lines'),
          postcode: v('complainant.postcode'),
          city: v('complainant.city'),
          email: v('complainant.email'),
          phone: v('complainant.phone'),
        },
        firm_id: Number(v('firm_id')) || null,
        facts: v('facts'),
        actions_taken: v('actions_taken'),
        natures: natures.picked(),
      },
    };
  };
  const send = async (apply) => {
    clearErrors(fields, status);
    try {
      const r = await api.correctComplaint(c.id, currentStaffId(), values(), apply);
      if (apply) {
        setFlash('Correction enregistrée au journal.');
        close();
        await reload();
        return;
      }
      replace(preview,
        h('h3', {}, 'Ce qui sera corrigé'),
        h('ul', { class: 'changes' }, r.changes.map((x) => h('li', {}, `${x.label} : « ${x.old || '—'} » → « ${x.new || '—'} »`))),
        h('h3', {}, 'Ce qui en découle'),
        h('ul', { class: 'consequences' }, r.consequences.map((x) => h('li', {}, x))),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button primary', onClick: () => send(true) }, 'Confirmer la correction')));
    } catch (err) {
      replace(preview);
      showErrors(fields, err, { summary: status });
    }
  };
  const form = h('form', { class: 'subform', novalidate: true, 'aria-label': 'Corriger la réclamation' },
    status,
    h('fieldset', {}, h('legend', {}, 'Réception'),
      h('div', { class: 'grid' },
        add('received_on', 'Date de réception', input('received_on', frDate(c.received_on))),
        add('addressed_to', 'Adressée à', select('addressed_to', pairs('addressees'), c.addressed_to)),
        c.channel === 'registered_letter' ? add('registered_number', 'N° de recommandé', input('registered_number', c.registered_number)) : null,
        c.channel === 'email' ? add('email_subject', 'Objet du courriel', input('email_subject', c.email_subject)) : null)),
    h('fieldset', {}, h('legend', {}, 'Plaignant'),
      group('complainant.role', role),
      h('div', { class: 'grid' },
        add('complainant.civility', 'Civilité', select('complainant.civility', [['', '—'], ...pairs('civilities')], p.civility ?? '')),
        add('complainant.name', 'Nom du plaignant', input('complainant.name', p.name)),
        add('complainant.organisation', 'Organisme', input('complainant.organisation', p.organisation))),
      add('complainant.address_lines', 'Adresse', area('complainant.address_lines', p.address.lines.join('\n'), 2)),
      h('div', { class: 'grid' },
        add('complainant.postcode', 'Code postal', input('complainant.postcode', p.address.postcode)),
        add('complainant.city', 'Ville', input('complainant.city', p.address.city)),
        add('complainant.email', 'Courriel', input('complainant.email', p.email)),
        add('complainant.phone', 'Téléphone', input('complainant.phone', p.phone)))),
    h('fieldset', {}, h('legend', {}, 'Qualifié et réclamation'),
      add('firm_id', 'Qualifié', select('firm_id', firms.map((f) => [String(f.id), [f.name, f.number && `n° ${f.number}`, f.address.city].filter(Boolean).join(' — ')]), String(c.firm.id))),
      group('natures', natures),
      add('facts', 'Faits reprochés', area('facts', c.facts, 4)),
      add('actions_taken', 'Actions déjà menées', area('actions_taken', c.actions_taken, 3))),
    h('fieldset', {}, h('legend', {}, 'Pourquoi'),
      group('cause', cause),
      add('comment', 'Commentaire (facultatif)', input('comment', ''), { hint: 'Par exemple : appel de la plaignante le 12/03.' })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, 'Voir ce qui change'),
      h('button', { type: 'button', class: 'button', onClick: close }, 'Annuler')),
    preview);
  form.addEventListener('submit', (e) => { e.preventDefault(); send(false); });
  return form;
}

/** The card: a button that opens the form. */
export function correctionCard(c, reload) {
  const slot = h('div', {});
  const close = () => slot.replaceChildren();
  return h('section', { class: 'card', 'aria-labelledby': 'h-corriger' },
    h('h2', { id: 'h-corriger' }, 'Corriger ce qui a été enregistré'),
    h('p', { class: 'hint' }, 'Une erreur de saisie ou un changement (déménagement, nouveau contact, homonyme choisi à tort) : chaque correction est inscrite au journal avec l’ancienne et la nouvelle valeur. Les courriers archivés ne changent pas.'),
    h('button', { type: 'button', class: 'button', onClick: async () => { replace(slot, await correctionForm(c, reload, close)); slot.querySelector('input, select, textarea')?.focus(); } }, 'Corriger…'),
    slot);
}
