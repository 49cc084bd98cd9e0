// « Fiche réclamation »: everything that was entered, the step with what to do next and the
// allowed actions (asked of the core), the clocks, the letters, and the journal as a timeline.
// This module owns the complaint's data and re-renders the cards after each change; each card
// is its own module. Files dropped on the window while the page is shown are attached to it.

import * as api from '../../api.js';
import { h, replace, frDate, errorMessage, exportPanel } from '../../dom.js';
import { setFlash, takeFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';
import { term } from '../../vocabulary.js';
import { actionsCard } from './actions.js';
import { clocksCard } from './clocks.js';
import { lettersCard } from './letters.js';
import { journalCard } from './journal.js';
import { partiesCards, complaintCard, checklistCard } from './details.js';
import { obligationsCard, decisionsCard } from './obligations.js';
import { declarationsCard } from './declarations.js';

function channelText(c) {
  if (c.channel === 'registered_letter') return `${c.channel_label} n° ${c.registered_number}`;
  if (c.channel === 'email') return `${c.channel_label} — objet : « ${c.email_subject} »`;
  return c.channel_label;
}

async function build(root, id) {
  const { complaint: c, letters } = await api.complaintPage(id);
  const reload = () => build(root, id);
  const addressed = term('addressees', c.addressed_to)?.addressed_to ?? '';
  replace(root,
    h('header', { class: 'page-head' },
      h('div', {},
        h('h1', { class: 'mono' }, c.reference),
        h('p', { class: 'muted' }, `Reçue le ${frDate(c.received_on)} — ${channelText(c)} — adressée ${addressed}`)),
      h('span', { class: `step step-${c.step}`, id: 'current-step', 'aria-label': `Étape : ${c.step_label}` }, c.step_label)),
    takeFlash(h),
    actionsCard(c, reload),
    obligationsCard(c),
    clocksCard(c),
    lettersCard(c, letters, reload),
    decisionsCard(c),
    declarationsCard(c, letters.documents, reload),
    partiesCards(c),
    complaintCard(c),
    checklistCard(c),
    journalCard(c, reload),
    h('section', { class: 'card', 'aria-labelledby': 'h-export' },
      h('h2', { id: 'h-export' }, 'Export pour audit'),
      h('p', { class: 'hint' }, 'Un dossier avec la synthèse PDF, le journal complet et son contrôle d’intégrité, chaque document tel qu’archivé, un manifeste SHA-256 et un JSON.'),
      exportPanel((folder) => api.exportDossier(c.id, null, folder))));
}

/** The page of complaint `id`: `{ node, leave }`; `leave` stops listening for dropped files. */
export async function complaintPage(id) {
  const root = h('article', { class: 'page' });
  await build(root, id);
  const listening = api.onFilesDropped(async (paths) => {
    if (!paths.length) return;
    try {
      const n = await api.attachDocuments(id, currentStaffId(), paths);
      setFlash(`${n} document(s) reçu(s) joint(s) au dossier.`);
    } catch (err) {
      setFlash(errorMessage(err), 'error');
    }
    await build(root, id);
  }).catch(() => () => {});
  return { node: root, leave: () => { listening.then((unlisten) => unlisten()); } };
}
