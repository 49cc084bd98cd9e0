// Réclamations: the register, newest first; a click opens the complaint.

import * as api from '../api.js';
import { h, frDate } from '../dom.js';
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

  return h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('h1', {}, 'Réclamations'),
      h('a', { class: 'button primary', href: '#/reclamations/nouvelle' }, 'Nouvelle réclamation')),
    takeFlash(h),
    content);
}
