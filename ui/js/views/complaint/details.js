// What was entered and decided: the decision, the parties, the complaint itself and its
// required elements. Read-only cards.

import { h, frDate, dash } from '../../dom.js';
import { label, terms, firmStatus } from '../../vocabulary.js';

/** A definition list from [term, value] pairs; values are shown as text. */
function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([name, value]) => [
    h('dt', {}, name),
    h('dd', {}, value instanceof Node ? value : dash(value)),
  ]));
}

/** Multi-line text kept as typed (CSS pre-wrap), never parsed as HTML. */
const prose = (text) => (text ? h('div', { class: 'prose' }, text) : h('p', { class: 'muted' }, 'Non renseigné.'));

const addressBlock = (a) => (a.lines.length || a.postcode || a.city
  ? h('div', { class: 'address' }, a.lines.map((l) => h('div', {}, l)), h('div', {}, [a.postcode, a.city].filter(Boolean).join(' ')))
  : null);

export function decisionCard(c) {
  if (!c.decision_label) return null;
  return h('section', { class: 'card' }, h('h2', {}, 'Décision'),
    facts([['Décision', c.decision_label], ['Instructeur', c.investigator], ['Clôture', c.closed_on ? frDate(c.closed_on) : '']]),
    h('h3', {}, 'Motifs'), prose(c.decision_reasons));
}

export function partiesCards(c) {
  const p = c.complainant;
  const f = c.firm;
  return h('div', { class: 'columns' },
    h('section', { class: 'card', 'aria-labelledby': 'h-plaignant' },
      h('h2', { id: 'h-plaignant' }, 'Plaignant'),
      facts([
        ['Qualité', c.complainant_role_label],
        ['Nom', [p.civility ? label('civilities', p.civility) : '', p.name].filter(Boolean).join(' ')],
        ['Organisme', p.organisation],
        ['Adresse', addressBlock(p.address)],
        ['Courriel', p.email],
        ['Téléphone', p.phone],
      ])),
    h('section', { class: 'card', 'aria-labelledby': 'h-qualifie' },
      h('h2', { id: 'h-qualifie' }, 'Qualifié ou certifié'),
      facts([
        ['Raison sociale', f.name],
        ['SIRET', f.siret],
        ['Adresse', addressBlock(f.address)],
        ['Courriel', f.email],
        ['Téléphone', f.phone],
        ['Statut', firmStatus(f)],
      ])));
}

export function complaintCard(c) {
  return h('section', { class: 'card', 'aria-labelledby': 'h-reclamation' },
    h('h2', { id: 'h-reclamation' }, 'Réclamation'),
    facts([['Nature', c.nature_labels.join(', ')]]),
    h('h3', {}, 'Faits reprochés'), prose(c.facts),
    h('h3', {}, 'Actions déjà menées'), prose(c.actions_taken));
}

export function checklistCard(c) {
  return h('section', { class: 'card', 'aria-labelledby': 'h-elements' },
    h('h2', { id: 'h-elements' }, 'Éléments obligatoires'),
    h('ul', { class: 'checklist' }, terms('checklist').map(({ code, label: text }) => h('li', { class: c.checklist[code] ? 'ok' : 'missing' },
      h('span', { 'aria-hidden': 'true' }, c.checklist[code] ? '✓ ' : '✗ '),
      text, c.checklist[code] ? '' : ' — manquant'))),
    c.missing_elements.length === 0
      ? h('p', {}, 'La réclamation est complète.')
      : h('p', { class: 'warning' }, 'Réclamation incomplète : des précisions sont à demander au plaignant.'));
}
