// « Échéances »: each running or stopped clock, its due date and how it was computed.

import { h } from '../../dom.js';

export function clocksCard(c) {
  if (c.workflow.clocks.length === 0) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'h-clocks' },
    h('h2', { id: 'h-clocks' }, 'Échéances'),
    h('table', { class: 'table clocks', 'aria-label': 'Échéances' },
      h('thead', {}, h('tr', {}, ['Délai', 'Échéance', 'État', 'Calcul'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, c.workflow.clocks.map((k) => h('tr', { class: `clock-${k.state}`, 'data-clock': k.clock },
        h('td', {}, k.label),
        h('td', { title: k.explanation }, k.due_label),
        h('td', {}, h('span', { class: `badge badge-${k.state}` }, k.state_label)),
        h('td', { class: 'explain' }, k.explanation))))));
}
