// Screens that later versions fill.

import { h } from '../dom.js';

export function comingSoon(title) {
  return h('section', { class: 'page' },
    h('h1', {}, title),
    h('p', { class: 'muted' }, 'Bientôt disponible.'));
}
