// « Courriers exigés par la procédure » and « Décisions »: what the procedure obliges the
// organisation to send, where each letter stands (checked by the core against the letters
// generated and marked sent), and every decision taken, oldest first. Read-only cards.

import { h } from '../../dom.js';

export function obligationsCard(c) {
  const list = c.workflow.obligations;
  if (!list.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'h-obligations' },
    h('h2', { id: 'h-obligations' }, 'Courriers exigés par la procédure'),
    h('table', { class: 'table obligations', 'aria-label': 'Courriers exigés par la procédure' },
      h('thead', {}, h('tr', {}, ['Courrier', 'Exigé avant', 'État'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((o) => h('tr', { 'data-letter': o.letter, class: `obligation-${o.state}` },
        h('td', {}, o.what, h('div', { class: 'muted small' }, o.letter_label)),
        h('td', {}, o.before || '—'),
        h('td', {}, h('span', { class: `badge badge-obligation-${o.state}` }, o.state_label)))))),
    h('p', { class: 'hint' }, 'Un courrier compte comme envoyé lorsqu’il a été édité ici puis marqué envoyé (carte « Courriers »).'));
}

/** One text of a decision, under its heading; kept as typed, never parsed as HTML. */
const reasons = (title, text) => (text ? [h('h4', {}, title), h('div', { class: 'prose' }, text)] : []);

export function decisionsCard(c) {
  const list = c.workflow.decisions;
  if (!list.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'h-decisions' },
    h('h2', { id: 'h-decisions' }, list.length > 1 ? `Décisions (${list.length})` : 'Décision'),
    h('ol', { class: 'decisions' }, list.map((d) => h('li', { 'data-decision': d.kind, class: d.is_final ? 'final' : '' },
      h('p', { class: 'decision-head' },
        h('strong', {}, d.kind_label), ` — le ${d.date_label}, par ${d.decided_by_label}`,
        d.scope ? ` — ${d.scope}` : '',
        d.is_final ? h('span', { class: 'badge badge-ok' }, 'décision en vigueur') : null,
        d.legacy ? h('span', { class: 'badge badge-stopped' }, 'antérieure au contrôle des courriers') : null),
      d.legacy
        ? reasons('Motifs', d.reasons_complainant)
        : [...reasons('Motifs adressés au plaignant', d.reasons_complainant), ...reasons('Motifs adressés au qualifié', d.reasons_firm)],
      reasons('Décision prise sans attendre la réponse attendue', d.waiver)))),
    c.closed_on ? h('p', { class: 'muted' }, `Dossier clos le ${c.closed_on.split('-').reverse().join('/')}.`) : null);
}
