// What was entered: the parties, the complaint itself and its
// required elements. Read-only cards.

import { h, frDate, dash } from '../../dom.js';
import { label, terms, firmStatus } from '../../vocabulary.js';
import { correctedMark } from './correction.js';

/** A definition list from [term, value, mark?] pairs; values are shown as text. */
function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([name, value, mark]) => [
    h('dt', {}, name),
    h('dd', {}, value instanceof Node ? value : dash(value), mark ? [' ', mark] : null),
  ]));
}

/** Multi-line text kept as typed (CSS pre-wrap), never parsed as HTML. */
const prose = (text) => (text ? h('div', { class: 'prose' }, text) : h('p', { class: 'muted' }, 'Non renseigné.'));

const addressBlock = (a) => (a.lines.length || a.postcode || a.city
  ? h('div', { class: 'address' }, a.lines.map((l) => h('div', {}, l)), h('div', {}, [a.postcode, a.city].filter(Boolean).join(' ')))
  : null);

/** « du 01/01/2024 au 31/12/2025 », « depuis le … », « jusqu'au … », or nothing. */
function validity(q) {
  const from = q.valid_from ? frDate(q.valid_from) : '';
  const until = q.valid_until ? frDate(q.valid_until) : '';
  if (from && until) return `du ${from} au ${until}`;
  if (from) return `depuis le ${from}`;
  if (until) return `jusqu’au ${until}`;
  return 'sans dates de validité';
}

function qualificationItems(qs) {
  return qs.map((q) => h('li', { 'data-kind': q.kind },
    `${q.kind === 'certification' ? 'Certification' : 'Qualification'} ${q.reference}`,
    q.label ? ` — ${q.label}` : '', q.is_rge ? ' (RGE)' : '', ` : ${validity(q)}`));
}

/**
 * The firm's status on one day (`scope`, from the core): its summary, the qualifications and
 * certifications valid and not valid that day with their dates, and, when none is valid, the
 * warning. Used by the intake form and the complaint page.
 */
export function scopeBlock(scope, { warning = scope.warning } = {}) {
  return h('div', { class: 'scope', 'data-in-scope': String(scope.in_scope) },
    h('p', { class: 'scope-summary' }, scope.summary),
    scope.valid.length ? [h('p', { class: 'hint' }, `Valides le ${frDate(scope.on)} :`), h('ul', { class: 'scope-valid' }, qualificationItems(scope.valid))] : null,
    scope.not_valid.length ? [h('p', { class: 'hint' }, `Non valides le ${frDate(scope.on)} :`), h('ul', { class: 'scope-not-valid' }, qualificationItems(scope.not_valid))] : null,
    warning ? h('p', { class: 'warning scope-warning', role: 'alert' }, warning) : null);
}

export function partiesCards(c) {
  const p = c.complainant;
  const f = c.firm;
  return h('div', { class: 'columns' },
    h('section', { class: 'card', 'aria-labelledby': 'h-plaignant' },
      h('h2', { id: 'h-plaignant' }, 'Plaignant'),
      facts([
        ['Qualité', c.complainant_role_label, correctedMark(c, 'complainant.role')],
        ['Nom', [p.civility ? label('civilities', p.civility) : '', p.name].filter(Boolean).join(' '), correctedMark(c, ['complainant.civility', 'complainant.name'])],
        ['Organisme', p.organisation, correctedMark(c, 'complainant.organisation')],
        ['Adresse', addressBlock(p.address), correctedMark(c, 'complainant.address')],
        ['Courriel', p.email, correctedMark(c, 'complainant.email')],
        ['Téléphone', p.phone, correctedMark(c, 'complainant.phone')],
        ['Réponse', c.reply_by_email ? 'Par courriel (pas d’adresse postale)' : 'Par courrier'],
      ])),
    h('section', { class: 'card', 'aria-labelledby': 'h-qualifie' },
      h('h2', { id: 'h-qualifie' }, 'Qualifié ou certifié'),
      facts([
        ['Raison sociale', h('a', { href: `#/qualifies/${f.id}`, title: 'Ouvrir la fiche du qualifié' }, f.name), correctedMark(c, 'firm_id')],
        ['SIRET', f.siret],
        ['Adresse', addressBlock(f.address)],
        ['Courriel', f.email],
        ['Téléphone', f.phone],
        ['Statut au registre', firmStatus(f)],
        ['À la réception', scopeBlock(c.scope, { warning: outOfScopeNote(c) })],
      ])));
}

/** On the page, an out-of-scope complaint says what can be done while it still can. */
function outOfScopeNote(c) {
  if (c.scope.in_scope) return null;
  const canDeclare = c.workflow.actions.some((a) => a.code === 'declare_inadmissible');
  return `Aucune qualification ni certification valide à la date de réception : la réclamation est hors du champ de la procédure.${
    canDeclare ? ' Elle peut être déclarée irrecevable (« Déclarer irrecevable », motif : hors du champ de la procédure).' : ''}`;
}

export function complaintCard(c) {
  return h('section', { class: 'card', 'aria-labelledby': 'h-reclamation' },
    h('h2', { id: 'h-reclamation' }, 'Réclamation'),
    facts([['Nature', c.nature_labels.join(', '), correctedMark(c, 'natures')]]),
    h('h3', {}, 'Faits reprochés', ' ', correctedMark(c, 'facts')), prose(c.facts),
    h('h3', {}, 'Actions déjà menées', ' ', correctedMark(c, 'actions_taken')), prose(c.actions_taken));
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
