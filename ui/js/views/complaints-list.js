// Réclamations: instant search (accents ignored) combined with filters, sortable columns and
// paging; a click opens the complaint. Oral contacts and the day's mail start here too.

import * as api from '../api.js';
import { h, frDate, replace, field, showRefusal, showErrors, clearErrors } from '../dom.js';
import { takeFlash } from '../flash.js';
import { pairs } from '../vocabulary.js';

const PAGE = 100;
// The list's own column headers and sort keys (not vocabulary: they name columns).
const COLUMNS = [['reference', 'Référence'], ['received_on', 'Reçue le'], ['complainant', 'Plaignant'], ['firm', 'Qualifié'], ['step', 'Étape']];

const labelled = (label, input) => field({ label, input }).wrapper;

const select = (options, all) => h('select', {}, h('option', { value: '' }, all), options.map(([v, t]) => h('option', { value: v }, t)));

function row(c) {
  const open = () => { location.hash = `#/reclamations/${c.id}`; };
  return h('tr', { class: 'clickable', onClick: open },
    h('td', {}, h('a', { href: `#/reclamations/${c.id}`, class: 'mono' }, c.reference)),
    h('td', {}, frDate(c.received_on)),
    h('td', {}, c.complainant_name),
    h('td', {}, c.firm_name),
    h('td', {}, h('span', { class: `step step-${c.step}` }, c.step_label)));
}

export async function complaintsList(params = new URLSearchParams()) {
  const state = {
    text: '', step: params.get('etape') ?? '', nature: '', channel: '', year: '', overdue_only: false,
    firm_id: params.get('qualifie') ? Number(params.get('qualifie')) : null,
    sort: '', descending: true, offset: 0,
  };
  const text = h('input', { type: 'search', placeholder: 'Référence, nom, SIRET, n° de recommandé, mots des faits…', autocomplete: 'off' });
  const step = select(pairs('steps'), 'Toutes');
  step.value = state.step;
  const nature = select(pairs('natures'), 'Toutes');
  const channel = select(pairs('channels'), 'Tous');
  const thisYear = Number(api.today().slice(0, 4));
  const year = select(Array.from({ length: 25 }, (_, i) => [String(thisYear - i), String(thisYear - i)]), 'Toutes');
  const overdue = field({ label: 'En retard seulement', inline: true, className: 'overdue', input: h('input', { type: 'checkbox' }) });
  const firmChip = h('div', { class: 'chip', hidden: !state.firm_id });
  if (state.firm_id) {
    replace(firmChip, `Qualifié n° ${state.firm_id}`, h('button', {
      type: 'button', class: 'button small', onClick: () => { state.firm_id = null; firmChip.hidden = true; refresh(); },
    }, 'Retirer ce filtre'));
  }
  const summary = h('p', { class: 'muted', role: 'status' });
  const thead = h('thead', {});
  const tbody = h('tbody', {});
  const prev = h('button', { type: 'button', class: 'button', onClick: () => { state.offset = Math.max(0, state.offset - PAGE); refresh(); } }, 'Page précédente');
  const next = h('button', { type: 'button', class: 'button', onClick: () => { state.offset += PAGE; refresh(); } }, 'Page suivante');

  function headers() {
    replace(thead, h('tr', {}, COLUMNS.map(([key, label]) => {
      const active = state.sort === key;
      const arrow = active ? (state.descending ? ' ▼' : ' ▲') : '';
      return h('th', { scope: 'col', 'aria-sort': active ? (state.descending ? 'descending' : 'ascending') : 'none' },
        h('button', {
          type: 'button',
          class: 'sort',
          onClick: () => {
            state.descending = active ? !state.descending : key === 'received_on';
            state.sort = key;
            state.offset = 0;
            refresh();
          },
        }, label + arrow));
    })));
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    headers();
    const page = await api.searchComplaints({
      text: state.text, step: state.step, nature: state.nature, channel: state.channel,
      firm_id: state.firm_id, year: state.year ? Number(state.year) : null, overdue_only: state.overdue_only,
      sort: state.sort, descending: state.descending, offset: state.offset, limit: PAGE,
    });
    if (mine !== seq) return; // a newer search already answered
    replace(tbody, page.rows.map(row));
    const first = page.total === 0 ? 0 : state.offset + 1;
    summary.textContent = page.total === 0
      ? 'Aucune réclamation ne correspond.'
      : `${first}–${state.offset + page.rows.length} sur ${page.total} réclamation(s)`;
    prev.disabled = state.offset === 0;
    next.disabled = state.offset + page.rows.length >= page.total;
  }

  let timer = null;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.text = text.value; state.offset = 0; refresh(); }, 120);
  });
  for (const [el, key] of [[step, 'step'], [nature, 'nature'], [channel, 'channel'], [year, 'year']]) {
    el.addEventListener('change', () => { state[key] = el.value; state.offset = 0; refresh(); });
  }
  overdue.input.addEventListener('change', () => { state.overdue_only = overdue.input.checked; state.offset = 0; refresh(); });

  const panel = h('div', {});
  const status = h('p', { role: 'status', class: 'muted' });
  const view = h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('h1', {}, 'Réclamations'),
      h('div', { class: 'action-buttons' },
        h('button', {
          type: 'button',
          class: 'button',
          onClick: async (e) => {
            const button = e.currentTarget;
            button.disabled = true;
            button.setAttribute('aria-busy', 'true');
            status.textContent = 'Préparation du courrier du jour…';
            try {
              const r = await api.printDayMail();
              status.textContent = `${r.count} courrier(s) du jour réunis dans ${r.path}${r.opened ? ' (ouvert pour impression)' : ''}.`;
            } catch (err) {
              showRefusal(status, err);
            } finally {
              button.disabled = false;
              button.removeAttribute('aria-busy');
            }
          },
        }, 'Courrier du jour'),
        h('button', { type: 'button', class: 'button', onClick: () => replace(panel, oralContactForm(status, () => panel.replaceChildren())) },
          'Réponse à un contact oral'),
        h('a', { class: 'button primary', href: '#/reclamations/nouvelle' }, 'Nouvelle réclamation'))),
    takeFlash(h),
    status,
    panel,
    h('div', { class: 'filters card' },
      h('div', { class: 'search' }, labelled('Rechercher', text)),
      h('div', { class: 'filter-row' },
        labelled('Étape', step), labelled('Nature', nature), labelled('Canal', channel), labelled('Année de réception', year),
        overdue.wrapper, firmChip)),
    summary,
    h('table', { class: 'table', 'aria-label': 'Liste des réclamations' }, thead, tbody),
    h('div', { class: 'actions' }, prev, next));
  await refresh();
  setTimeout(() => text.focus(), 0);
  return view;
}

/** Oral complaints are not registered: the app answers with « comment déposer une réclamation ». */
function oralContactForm(status, close) {
  const fields = new Map();
  const add = (key, label, input) => {
    input.name = key;
    const f = field({ label, input });
    fields.set(key, f);
    return f.wrapper;
  };
  const summary = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card subform', novalidate: true, 'aria-label': 'Réponse à un contact oral' },
    h('p', { class: 'subtitle' }, 'Courrier « Comment déposer une réclamation »'),
    h('p', { class: 'hint' }, 'Les réclamations orales ne sont pas enregistrées : ce courrier explique comment réclamer par écrit.'),
    summary,
    h('div', { class: 'grid' },
      add('civility', 'Civilité', h('select', {}, h('option', { value: '' }, '—'), pairs('civilities').map(([v, t]) => h('option', { value: v }, t)))),
      add('name', 'Nom', h('input', { type: 'text' })),
      add('address_lines', 'Adresse', h('textarea', { rows: 2 })),
      add('postcode', 'Code postal', h('input', { type: 'text' })),
      add('city', 'Ville', h('input', { type: 'text' }))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Générer le courrier'),
      h('button', { type: 'button', class: 'button', onClick: close }, 'Annuler')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields, summary);
    try {
      const r = await api.howToComplainLetter(Object.fromEntries([...fields].map(([k, f]) => [k, f.input.value])));
      status.textContent = `Courrier généré et archivé : ${r.path}`;
      close();
    } catch (err) {
      showErrors(fields, err, { summary });
    }
  });
  return form;
}
