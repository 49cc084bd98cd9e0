// Tableau de bord: the start screen. The deadline dashboard comes with the workflow; for now it
// leads to the register.

import { h } from '../dom.js';

export function dashboard() {
  return h('section', { class: 'page' },
    h('h1', {}, 'Tableau de bord'),
    h('p', { class: 'muted' }, 'Le suivi des échéances sera bientôt disponible ici.'),
    h('div', { class: 'actions' },
      h('a', { class: 'button primary', href: '#/reclamations/nouvelle' }, 'Nouvelle réclamation'),
      h('a', { class: 'button', href: '#/reclamations' }, 'Voir les réclamations')));
}
