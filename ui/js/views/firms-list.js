// Qualifiés: the firms register (read-only list for now; creation happens from a complaint).

import * as api from '../api.js';
import { h, dash } from '../dom.js';

const flags = (f) => [f.is_qualified && 'Qualifié', f.is_certified && 'Certifié', f.is_rge && 'RGE']
  .filter(Boolean).join(', ');

export async function firmsList() {
  const firms = await api.listFirms();
  const body = firms.length === 0
    ? h('p', { class: 'muted' }, 'Aucun qualifié enregistré. Ils sont créés depuis le formulaire « Nouvelle réclamation ».')
    : h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Raison sociale', 'SIRET', 'Ville', 'Statut'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, firms.map((f) => h('tr', {},
        h('td', {}, f.name),
        h('td', { class: 'mono' }, dash(f.siret)),
        h('td', {}, dash([f.address.postcode, f.address.city].filter(Boolean).join(' '))),
        h('td', {}, dash(flags(f)))))));
  return h('section', { class: 'page' }, h('h1', {}, 'Qualifiés'), body);
}
