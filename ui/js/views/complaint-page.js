// « Fiche réclamation »: everything that was entered, the step, and the journal.

import * as api from '../api.js';
import { h, frDate, dash } from '../dom.js';
import { takeFlash } from '../flash.js';

/** A definition list from [term, value] pairs; values are shown as text. */
function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([term, value]) => [
    h('dt', {}, term),
    h('dd', {}, value instanceof Node ? value : dash(value)),
  ]));
}

/** Multi-line text kept as typed (CSS pre-wrap), never parsed as HTML. */
const prose = (text) => (text ? h('div', { class: 'prose' }, text) : h('p', { class: 'muted' }, 'Non renseigné.'));

const addressBlock = (a) => (a.lines.length || a.postcode || a.city
  ? h('div', { class: 'address' }, a.lines.map((l) => h('div', {}, l)), h('div', {}, [a.postcode, a.city].filter(Boolean).join(' ')))
  : null);

const ADDRESSED_TO = { president: 'au Président', general_delegate: 'à la Déléguée Générale', secretariat: 'au secrétariat' };

export async function complaintPage(id) {
  const c = await api.getComplaint(id);
  const p = c.complainant;
  const f = c.firm;
  const civility = { madame: 'Madame', monsieur: 'Monsieur' }[p.civility] ?? '';
  const channel = c.channel === 'registered_letter'
    ? `${c.channel_label} n° ${c.registered_number}`
    : c.channel === 'email' ? `${c.channel_label} — objet : « ${c.email_subject} »` : c.channel_label;
  const status = [f.is_qualified && 'Qualifié', f.is_certified && 'Certifié', f.is_rge && 'RGE'].filter(Boolean).join(', ');
  const checklist = [
    ['complainant_details', 'Coordonnées précises du plaignant'],
    ['firm_details', 'Nom et coordonnées précises du qualifié ou certifié'],
    ['facts', 'Exposé détaillé et précis des faits'],
    ['actions_taken', 'Mention des actions déjà menées'],
  ];

  return h('article', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', {},
        h('h1', { class: 'mono' }, c.reference),
        h('p', { class: 'muted' }, `Reçue le ${frDate(c.received_on)} — ${channel} — adressée ${ADDRESSED_TO[c.addressed_to] ?? ''}`)),
      h('span', { class: `step step-${c.step}`, 'aria-label': `Étape : ${c.step_label}` }, c.step_label)),
    takeFlash(h),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'h-plaignant' },
        h('h2', { id: 'h-plaignant' }, 'Plaignant'),
        facts([
          ['Qualité', c.complainant_role_label],
          ['Nom', [civility, p.name].filter(Boolean).join(' ')],
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
          ['Statut', status],
        ]))),
    h('section', { class: 'card', 'aria-labelledby': 'h-reclamation' },
      h('h2', { id: 'h-reclamation' }, 'Réclamation'),
      facts([['Nature', c.nature_labels.join(', ')]]),
      h('h3', {}, 'Faits reprochés'), prose(c.facts),
      h('h3', {}, 'Actions déjà menées'), prose(c.actions_taken)),
    h('section', { class: 'card', 'aria-labelledby': 'h-elements' },
      h('h2', { id: 'h-elements' }, 'Éléments obligatoires'),
      h('ul', { class: 'checklist' }, checklist.map(([key, label]) => h('li', { class: c.checklist[key] ? 'ok' : 'missing' },
        h('span', { 'aria-hidden': 'true' }, c.checklist[key] ? '✓ ' : '✗ '),
        label, c.checklist[key] ? '' : ' — manquant'))),
      c.missing_elements.length === 0
        ? h('p', {}, 'La réclamation est complète.')
        : h('p', { class: 'warning' }, 'Réclamation incomplète : des précisions sont à demander au plaignant.')),
    h('section', { class: 'card', 'aria-labelledby': 'h-journal' },
      h('h2', { id: 'h-journal' }, 'Journal'),
      h('ol', { class: 'timeline' }, c.journal.map((e) => h('li', {},
        h('div', { class: 'timeline-head' }, h('strong', {}, frDate(e.occurred_on)), ` — ${e.author}`),
        h('div', {}, e.summary),
        e.details ? h('div', { class: 'prose' }, e.details) : null)))));
}
