// « Fiche réclamation »: everything that was entered, the step with what to do next and the
// allowed actions (asked of the core), the clocks, the letters, and the journal as a timeline.
// The page owns the complaint's data (one `complaintPage` read, or the page an action answers
// with); each card is its own module, shown through `{ node, update }` so that a change updates
// the cards in place. Files dropped on the window while the page is shown are attached to it.

import * as api from '../../api.js';
import { h, frDate, errorMessage, exportPanel } from '../../dom.js';
import { setFlash, takeFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';
import { correctionCard, correctedMark } from './correction.js';
import { term } from '../../vocabulary.js';
import { actionsCard } from './actions.js';
import { clocksCard } from './clocks.js';
import { lettersCard } from './letters.js';
import { journalCard } from './journal.js';
import { partiesCards, complaintCard, checklistCard } from './details.js';
import { obligationsCard, decisionsCard } from './obligations.js';
import { declarationsCard } from './declarations.js';

function channelText(c) {
  if (c.channel === 'registered_letter') return `${c.channel_label} n° ${c.registered_number_shown}`;
  if (c.channel === 'email') return `${c.channel_label} — objet : « ${c.email_subject} »`;
  return c.channel_label;
}

const asList = (nodes) => [nodes].flat().filter(Boolean);

/** « corrigé le … » after a value of the head corrected since intake, preceded by a space; or nothing. */
function marked(c, field) {
  const mark = field ? correctedMark(c, field) : null;
  return mark ? [' ', mark] : null;
}

/**
 * A card of the page: `render(page)` gives its section (or several, or none). `update(page)`
 * renders it again in place: a section that is still there keeps its element (its place in the
 * page, the card the focus was in), only its content changes.
 */
function card(render) {
  const node = h('div', { class: 'card-slot' });
  const update = (page) => {
    const fresh = asList(render(page));
    const old = [...node.children];
    const same = fresh.length === 1 && old.length === 1 && old[0].tagName === fresh[0].tagName
      && old[0].getAttribute('aria-labelledby') === fresh[0].getAttribute('aria-labelledby');
    if (same) {
      for (const { name, value } of fresh[0].attributes) old[0].setAttribute(name, value);
      old[0].replaceChildren(...fresh[0].childNodes);
    } else {
      node.replaceChildren(...fresh);
    }
  };
  return { node, update };
}

function head(page) {
  const c = page.complaint;
  const addressed = term('addressees', c.addressed_to)?.addressed_to ?? '';
  return [
    h('header', { class: 'page-head' },
      h('div', {},
        h('h1', { class: 'mono' }, c.reference),
        h('p', { class: 'muted' },
          `Reçue le ${frDate(c.received_on)}`, marked(c, 'received_on'),
          ` — ${channelText(c)}`, marked(c, c.channel === 'registered_letter' ? 'registered_number' : c.channel === 'email' ? 'email_subject' : null),
          ` — adressée ${addressed}`, marked(c, 'addressed_to')),
        c.legacy_reference ? h('p', { class: 'muted', id: 'legacy-reference' }, 'Ancienne référence : ', h('span', { class: 'mono' }, c.legacy_reference), ' (reprise de l’ancien registre)') : null),
      h('span', { class: `step step-${c.step}`, id: 'current-step', 'aria-label': `Étape : ${c.step_label}` }, c.step_label)),
    takeFlash(h),
  ];
}

function exportCard(page) {
  const c = page.complaint;
  return h('section', { class: 'card', 'aria-labelledby': 'h-export' },
    h('h2', { id: 'h-export' }, 'Export pour audit'),
    h('p', { class: 'hint' }, 'Un dossier avec la synthèse PDF, le journal complet et son contrôle d’intégrité, chaque document tel qu’archivé, un manifeste SHA-256 et un JSON.'),
    exportPanel((folder) => api.exportDossier(c.id, null, folder)));
}

/** The page of complaint `id`: `{ node, leave }`; `leave` stops listening for dropped files. */
export async function complaintPage(id) {
  const root = h('article', { class: 'page' });
  let cards = [];
  // The page's state: shown again whenever it changes, by a read or by an action's answer.
  const show = (page) => { for (const c of cards) c.update(page); };
  const reload = async () => show(await api.complaintPage(id));
  cards = [
    card(head),
    card((p) => actionsCard(p.complaint, show)),
    card((p) => obligationsCard(p.complaint)),
    card((p) => clocksCard(p.complaint)),
    card((p) => lettersCard(p.complaint, p.letters, reload)),
    card((p) => decisionsCard(p.complaint)),
    card((p) => declarationsCard(p.complaint, p.letters.documents, reload)),
    card((p) => partiesCards(p.complaint)),
    card((p) => complaintCard(p.complaint)),
    card((p) => checklistCard(p.complaint)),
    card((p) => correctionCard(p.complaint, reload)),
    card((p) => journalCard(p.complaint, reload)),
    card(exportCard),
  ];
  root.append(...cards.map((c) => c.node));
  await reload();
  const listening = api.onFilesDropped(async (paths) => {
    if (!paths.length) return;
    try {
      const n = await api.attachDocuments(id, currentStaffId(), paths);
      setFlash(`${n} document(s) reçu(s) joint(s) au dossier.`);
    } catch (err) {
      setFlash(errorMessage(err), 'error');
    }
    await reload();
  }).catch(() => () => {});
  return { node: root, leave: () => { listening.then((unlisten) => unlisten()); } };
}
