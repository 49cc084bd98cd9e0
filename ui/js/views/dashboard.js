// Tableau de bord: what needs doing, most urgent first, computed by the core from the stored
// facts and « today ».

import * as api from '../api.js';
import { h, frDate, replace, showRefusal, appendChildren } from '../dom.js';
import { currentStaffId } from '../session.js';
import { label } from '../vocabulary.js';
import { takeFlash } from '../flash.js';
import { backupBanner } from './backups.js';
import { demoButton, SETUP_ROUTE } from './setup.js';
import { previewOnOpen } from './complaint/letters.js';

function daysText(item) {
  if (item.waiting_days !== null && item.waiting_days !== undefined && (item.days_left === null || item.days_left === undefined)) {
    if (item.waiting_days === 0) return 'depuis aujourd’hui';
    return `attend depuis ${item.waiting_days} j`;
  }
  if (item.days_left === null || item.days_left === undefined) return '';
  if (item.days_left < 0) return `${-item.days_left} j de retard`;
  if (item.days_left === 0) return 'aujourd’hui';
  return `dans ${item.days_left} j`;
}

/** « Générer : … » for a letter owed and not yet made (a lapsed answer's reminder, a decision's
 * letters): the complaint's page, with the letter's preview open, to check it before « Valider
 * et archiver » (the letter is then listed as to send, and no longer offered). */
function generateButton(item, kind) {
  const name = label('letter_kinds', kind);
  return h('button', {
    type: 'button',
    class: 'button small',
    'data-letter': kind,
    'data-reminder': kind === item.reminder ? kind : null,
    'aria-label': `Générer : ${name} — ${item.reference}`,
    onClick: () => {
      previewOnOpen(item.complaint_id, kind);
      window.location.hash = `#/reclamations/${item.complaint_id}`;
    },
  }, `Générer : ${name}`);
}

/** A long list shows its first rows at once and the rest on demand: at 100 000 complaints the
 * « À faire » table had about 1 500 rows, whose layout delayed the first screen by half a second
 * and whose nodes the web engine kept in memory all day. The lists come most urgent first. */
const FIRST_ROWS = 50;

function itemsTable(items, label) {
  const body = h('tbody', {}, items.slice(0, FIRST_ROWS).map((i) => itemRow(i)));
  const table = h('table', { class: 'table dashboard', 'aria-label': label },
    h('thead', {}, h('tr', {}, ['', 'Référence', 'Parties', 'À faire', 'Échéance', 'Délai'].map((t) => h('th', { scope: 'col' }, t)))),
    body);
  if (items.length <= FIRST_ROWS) return table;
  const rest = items.length - FIRST_ROWS;
  const more = h('button', {
    type: 'button',
    class: 'button',
    onClick: () => {
      appendChildren(body, items.slice(FIRST_ROWS).map((i) => itemRow(i)));
      more.parentElement.remove();
      // Keyboard users go on where the list goes on.
      body.rows[FIRST_ROWS]?.querySelector('a')?.focus();
    },
  }, `Afficher les ${rest} autre${rest > 1 ? 's' : ''}`);
  return [table, h('p', { class: 'more-rows' }, more)];
}

function itemRow(item) {
  return h('tr', { class: `due due-${item.severity}`, 'data-category': item.category },
    h('td', {}, h('span', { class: `badge badge-${item.severity}` }, label('dashboard_categories', item.category))),
    h('td', {}, h('a', { href: `#/reclamations/${item.complaint_id}`, class: 'mono' }, item.reference)),
    h('td', {}, item.complainant, h('div', { class: 'muted small' }, item.firm)),
    h('td', {}, item.what,
      item.note ? h('div', { class: 'muted small', 'data-note': '' }, item.note) : null,
      (item.generate || []).length
        ? h('div', { class: 'action-buttons' }, item.generate.map((kind) => generateButton(item, kind)))
        : null),
    h('td', { title: item.explanation || null },
      item.due_label || item.since_label,
      item.explanation ? h('details', { class: 'explain' }, h('summary', {}, 'calcul'), item.explanation) : null),
    h('td', { class: 'days' }, daysText(item)));
}

/** The retention purge: two clicks, the second confirming the number of files. */
function purgeCard(total) {
  const status = h('p', { role: 'status' });
  const confirm = h('button', {
    type: 'button',
    class: 'button danger',
    hidden: true,
    onClick: async () => {
      confirm.disabled = true;
      try {
        const r = await api.purgeEligible(currentStaffId(), total);
        replace(status, `${r.complaints} dossier(s) purgé(s) (${r.documents} document(s) supprimé(s)) : ${r.references.join(', ')}. `
          + 'Il en reste une trace anonyme pour les statistiques ; les anciennes sauvegardes, qui les contenaient, ont été remplacées par une nouvelle.');
        confirm.hidden = true;
        start.hidden = true;
      } catch (err) {
        showRefusal(status, err);
        confirm.disabled = false;
      }
    },
  }, `Confirmer la purge de ${total} dossier(s)`);
  const start = h('button', {
    type: 'button',
    class: 'button',
    onClick: () => {
      confirm.hidden = false;
      replace(status, 'La purge supprime définitivement les données personnelles et les documents de ces dossiers, ainsi que les sauvegardes antérieures qui les contiennent.');
    },
  }, `Purger les ${total} dossier(s) arrivés au terme de leur conservation…`);
  return h('section', { class: 'card', 'aria-labelledby': 'h-purge' },
    h('h2', { id: 'h-purge' }, 'Conservation : dossiers à purger'),
    h('div', { class: 'action-buttons' }, start, confirm), status);
}

/** What of the first steps is already done, from the register itself. */
async function firstStepsDone() {
  const [staff, firms, backups] = await Promise.all([api.listStaff(), api.searchFirms({ text: '' }), api.backupOverview()]);
  return {
    staff: staff.filter((s) => s.active).length > 1,
    backup: Boolean(backups.settings.destination),
    firms: firms.length > 0,
  };
}

/** An empty register: the first steps, in the order a new office takes them, those done marked. */
function firstSteps(done) {
  const status = h('p', { role: 'status', class: 'muted' });
  const step = (href, title, text, isDone = false) => h('li', { class: isDone ? 'done' : null },
    h('a', { href }, title), ' — ', text, isDone ? h('span', { class: 'badge badge-ok' }, 'fait') : null);
  return h('section', { class: 'card', 'aria-labelledby': 'h-first-steps' },
    h('h2', { id: 'h-first-steps' }, 'Pour commencer'),
    h('ol', { class: 'first-steps' },
      step('#/parametres', 'Vérifier l’organisme et les signataires', 'nom, adresse, courriel et signataires imprimés sur les courriers (Paramètres).'),
      step('#/parametres', 'Ajouter les personnes du secrétariat', 'chacune signe ce qu’elle enregistre (Paramètres, « Personnel »).', done.staff),
      step('#/parametres', 'Choisir une destination de sauvegarde externe', 'un disque externe, une clé USB ou un partage réseau (Paramètres, « Sauvegardes externes »).', done.backup),
      step('#/qualifies', 'Importer le registre des qualifiés', 'depuis un fichier CSV, ou les créer au fil des réclamations (Qualifiés).', done.firms),
      step('#/reclamations/nouvelle', 'Enregistrer la première réclamation', 'saisie, ou lue d’un courriel .eml ou .msg déposé sur le formulaire.')),
    h('div', { class: 'action-buttons' },
      h('a', { class: 'button', href: `${SETUP_ROUTE}?etape=1` }, 'Reprendre la configuration guidée'),
      demoButton(status)),
    status);
}

export async function dashboard() {
  // The demonstration is never backed up: no banner about it there.
  const demo = (await api.loadContext()).info.demo;
  const [d, backups] = await Promise.all([api.getDashboard(), demo ? null : backupBanner()]);
  const urgent = d.items.filter((i) => i.severity !== 'neutral');
  const other = d.items.filter((i) => i.severity === 'neutral');
  const open = d.counts.filter((c) => c.count > 0);
  return h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Tableau de bord'), h('p', { class: 'muted' }, `Au ${frDate(d.today)} — « bientôt » : ${d.soon_days} jours.`)),
      h('a', { class: 'button primary', href: '#/reclamations/nouvelle' }, 'Nouvelle réclamation')),
    takeFlash(h),
    h('div', { class: 'counts', 'aria-label': 'Réclamations par étape' },
      open.length === 0 ? h('p', { class: 'muted' }, 'Aucune réclamation enregistrée.') : open.map((c) => h('a', {
        class: `count step-${c.step}`, href: `#/reclamations?etape=${c.step}`,
      }, h('strong', {}, String(c.count)), h('span', {}, c.label)))),
    open.length === 0 ? firstSteps(await firstStepsDone()) : null,
    h('section', { class: 'card', 'aria-labelledby': 'h-todo' },
      h('h2', { id: 'h-todo' }, `À faire (${urgent.length})`),
      urgent.length ? itemsTable(urgent, 'À faire') : h('p', { class: 'muted' }, 'Rien d’urgent aujourd’hui.')),
    backups,
    d.flagged.length ? h('section', { class: 'card', 'aria-labelledby': 'h-flagged' },
      h('h2', { id: 'h-flagged' }, `Réclamations de plus de 5 mois (${d.flagged.length})`),
      itemsTable(d.flagged, 'Plus de 5 mois')) : null,
    d.purge_total ? purgeCard(d.purge_total) : null,
    other.length ? h('section', { class: 'card', 'aria-labelledby': 'h-awaiting' },
      h('h2', { id: 'h-awaiting' }, `Réponses et accusés de réception attendus (${d.awaiting_total}), dossiers à purger (${d.purge_total})`),
      d.awaiting_total + d.purge_total > other.length
        ? h('p', { class: 'hint' }, `Les ${other.length} plus anciens sont listés ; les réponses attendues se retrouvent aussi dans Réclamations (filtre par étape).`)
        : null,
      itemsTable(other, 'Réponses attendues')) : null);
}
