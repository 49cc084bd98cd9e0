// Réclamations: the register, newest first; a click opens the complaint.

import * as api from '../api.js';
import { h, frDate, nextId, replace } from '../dom.js';
import { takeFlash } from '../flash.js';

const PAGE = 100;

function row(c) {
  const open = () => { location.hash = `#/reclamations/${c.id}`; };
  return h('tr', { class: 'clickable', onClick: open },
    h('td', {}, h('a', { href: `#/reclamations/${c.id}`, class: 'mono' }, c.reference)),
    h('td', {}, frDate(c.received_on)),
    h('td', {}, c.complainant_name),
    h('td', {}, c.firm_name),
    h('td', {}, h('span', { class: `step step-${c.step}` }, c.step_label)));
}

export async function complaintsList() {
  const first = await api.listComplaints(0, PAGE);
  const tbody = h('tbody', {}, first.map(row));
  let loaded = first.length;
  const more = h('button', {
    type: 'button',
    class: 'button',
    hidden: first.length < PAGE,
    onClick: async () => {
      const next = await api.listComplaints(loaded, PAGE);
      loaded += next.length;
      tbody.append(...next.map(row));
      if (next.length < PAGE) more.hidden = true;
    },
  }, 'Afficher plus');

  const content = first.length === 0
    ? h('p', { class: 'muted' }, 'Aucune réclamation enregistrée pour l’instant.')
    : [h('table', { class: 'table', 'aria-label': 'Liste des réclamations' },
      h('thead', {}, h('tr', {}, ['Référence', 'Reçue le', 'Plaignant', 'Qualifié', 'Étape']
        .map((t) => h('th', { scope: 'col' }, t)))),
      tbody), more];

  const panel = h('div', {});
  const status = h('p', { role: 'status', class: 'muted' });
  return h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('h1', {}, 'Réclamations'),
      h('div', { class: 'action-buttons' },
        h('button', {
          type: 'button',
          class: 'button',
          onClick: async () => {
            try {
              const r = await api.printDayMail();
              status.textContent = `${r.count} courrier(s) du jour réunis dans ${r.path}${r.opened ? ' (ouvert pour impression)' : ''}.`;
            } catch (err) {
              status.textContent = Object.values(err?.fields ?? {})[0] ?? err?.message ?? String(err);
            }
          },
        }, 'Courrier du jour'),
        h('button', { type: 'button', class: 'button', onClick: () => replace(panel, oralContactForm(status, () => panel.replaceChildren())) },
          'Réponse à un contact oral'),
        h('a', { class: 'button primary', href: '#/reclamations/nouvelle' }, 'Nouvelle réclamation'))),
    takeFlash(h),
    status,
    panel,
    content);
}

/** Oral complaints are not registered: the app answers with « comment déposer une réclamation ». */
function oralContactForm(status, close) {
  const inputs = {};
  const errors = {};
  const field = (key, label, input) => {
    const id = nextId('o');
    input.id = id;
    inputs[key] = input;
    errors[key] = h('p', { class: 'field-error', hidden: true });
    return h('div', { class: 'field' }, h('label', { for: id }, label), input, errors[key]);
  };
  const form = h('form', { class: 'card subform', novalidate: true, 'aria-label': 'Réponse à un contact oral' },
    h('p', { class: 'subtitle' }, 'Courrier « Comment déposer une réclamation »'),
    h('p', { class: 'hint' }, 'Les réclamations orales ne sont pas enregistrées : ce courrier explique comment réclamer par écrit.'),
    h('div', { class: 'grid' },
      field('civility', 'Civilité', h('select', {}, h('option', { value: '' }, '—'), h('option', { value: 'madame' }, 'Madame'), h('option', { value: 'monsieur' }, 'Monsieur'))),
      field('name', 'Nom', h('input', { type: 'text' })),
      field('address_lines', 'Adresse', h('textarea', { rows: 2 })),
      field('postcode', 'Code postal', h('input', { type: 'text' })),
      field('city', 'Ville', h('input', { type: 'text' }))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Générer le courrier'),
      h('button', { type: 'button', class: 'button', onClick: close }, 'Annuler')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of Object.values(errors)) el.hidden = true;
    try {
      const r = await api.howToComplainLetter(Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value])));
      status.textContent = `Courrier généré et archivé : ${r.path}`;
      close();
    } catch (err) {
      for (const [key, message] of Object.entries(err?.fields ?? {})) {
        const el = errors[key] ?? errors.name;
        el.textContent = message;
        el.hidden = false;
      }
    }
  });
  return form;
}
