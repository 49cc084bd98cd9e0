// Réclamations: instant search (accents ignored) combined with filters, sortable columns and
// paging; a click opens the complaint. Oral contacts and the day's mail start here too.

import * as api from '../api.js';
import { h, frDate, replace, field, choices, showRefusal, showErrors, clearErrors } from '../dom.js';
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

// The list's place lives in the URL (#/reclamations?tri=…&page=…&depuis=…): filters, sort, the
// page number and the page's first row (a cursor: the page seeks to it instead of counting
// rows). Back from a complaint re-opens the same page at the same scroll position, which is
// kept in sessionStorage under that URL.
const scrollKey = (hash) => `liste:${hash}`;
const positiveInt = (v) => (/^\d{1,9}$/.test(v ?? '') ? Number(v) : null);

function fromParams(params) {
  const sort = COLUMNS.some(([k]) => k === params.get('tri')) ? params.get('tri') : '';
  const page = Math.max(1, positiveInt(params.get('page')) ?? 1);
  return {
    text: params.get('texte') ?? '', step: params.get('etape') ?? '', nature: params.get('nature') ?? '',
    channel: params.get('canal') ?? '', year: positiveInt(params.get('annee')) ? params.get('annee') : '',
    overdue_only: params.get('retard') === '1', firm_id: positiveInt(params.get('qualifie')),
    sort, descending: sort ? params.get('ordre') === 'desc' : true,
    offset: (page - 1) * PAGE, from_id: page > 1 ? positiveInt(params.get('depuis')) : null,
  };
}

function toHash(state, firstId) {
  const p = new URLSearchParams();
  const put = (k, v) => { if (v !== '' && v !== null && v !== undefined && v !== false) p.set(k, String(v)); };
  put('texte', state.text); put('etape', state.step); put('nature', state.nature); put('canal', state.channel);
  put('annee', state.year); put('retard', state.overdue_only ? '1' : ''); put('qualifie', state.firm_id);
  if (state.sort) { put('tri', state.sort); put('ordre', state.descending ? 'desc' : 'asc'); }
  if (state.offset > 0) { put('page', state.offset / PAGE + 1); put('depuis', firstId); }
  const q = p.toString();
  return q ? `#/reclamations?${q}` : '#/reclamations';
}

/** The list's filters and sort (not its page), as the core's ListQuery. */
const listQuery = (state) => ({
  text: state.text, step: state.step, nature: state.nature, channel: state.channel,
  firm_id: state.firm_id, year: state.year ? Number(state.year) : null, overdue_only: state.overdue_only,
  sort: state.sort, descending: state.descending,
});

export async function complaintsList(params = new URLSearchParams()) {
  const state = fromParams(params);
  // How the next request finds its page: { from_id | after_id | before_id } or by offset.
  let cursor = state.from_id ? { from_id: state.from_id } : {};
  let listHash = location.hash;
  const savedScroll = Number(sessionStorage.getItem(scrollKey(listHash)) ?? '0') || 0;
  const text = h('input', { type: 'search', placeholder: 'Référence, nom, SIRET, n° de recommandé, mots des faits…', autocomplete: 'off' });
  text.value = state.text;
  const step = select(pairs('steps'), 'Toutes');
  step.value = state.step;
  const nature = select(pairs('natures'), 'Toutes');
  nature.value = state.nature;
  const channel = select(pairs('channels'), 'Tous');
  channel.value = state.channel;
  const thisYear = Number(api.today().slice(0, 4));
  const year = select(Array.from({ length: 25 }, (_, i) => [String(thisYear - i), String(thisYear - i)]), 'Toutes');
  year.value = state.year;
  const overdue = field({ label: 'En retard seulement', inline: true, className: 'overdue', input: h('input', { type: 'checkbox' }) });
  overdue.input.checked = state.overdue_only;
  const firmChip = h('div', { class: 'chip', hidden: !state.firm_id });
  if (state.firm_id) {
    replace(firmChip, `Qualifié n° ${state.firm_id}`, h('button', {
      type: 'button', class: 'button small', onClick: () => { state.firm_id = null; firmChip.hidden = true; restart(); },
    }, 'Retirer ce filtre'));
  }
  const summary = h('p', { class: 'muted', role: 'status' });
  const pageLine = h('span', { class: 'muted page-line' });
  const thead = h('thead', {});
  const tbody = h('tbody', {});
  let rows = [];
  let total = 0;
  const prev = h('button', {
    type: 'button', class: 'button',
    onClick: () => {
      state.offset = Math.max(0, state.offset - PAGE);
      cursor = state.offset === 0 || !rows.length ? {} : { before_id: rows[0].id };
      refresh();
    },
  }, 'Page précédente');
  const next = h('button', {
    type: 'button', class: 'button',
    onClick: () => {
      state.offset += PAGE;
      cursor = rows.length ? { after_id: rows[rows.length - 1].id } : {};
      refresh();
    },
  }, 'Page suivante');
  const pageInput = h('input', { type: 'number', min: '1', step: '1', inputmode: 'numeric', class: 'page-input' });
  const pageError = h('span', { class: 'field-error', role: 'alert' });
  const jump = h('form', {
    class: 'inline-form page-jump', novalidate: true,
    onSubmit: (e) => {
      e.preventDefault();
      const pages = Math.max(1, Math.ceil(total / PAGE));
      const n = positiveInt(pageInput.value.trim());
      if (!n || n > pages) {
        pageError.textContent = `Indiquez une page entre 1 et ${pages}.`;
        pageInput.setAttribute('aria-invalid', 'true');
        return;
      }
      pageError.textContent = '';
      pageInput.removeAttribute('aria-invalid');
      state.offset = (n - 1) * PAGE;
      cursor = {};
      refresh();
    },
  }, labelled('Aller à la page', pageInput), h('button', { type: 'submit', class: 'button small' }, 'Aller'), pageError);

  function restart() {
    state.offset = 0;
    cursor = {};
    refresh();
  }

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
            restart();
          },
        }, label + arrow));
    })));
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    headers();
    const page = await api.searchComplaints({ ...listQuery(state), offset: state.offset, limit: PAGE, ...cursor });
    if (mine !== seq) return; // a newer search already answered
    if (page.rows.length === 0 && state.offset > 0 && page.total > 0) {
      // The page kept in the URL no longer exists (fewer complaints now): the first page.
      restart();
      return;
    }
    rows = page.rows;
    total = page.total;
    replace(tbody, page.rows.map(row));
    const first = page.total === 0 ? 0 : state.offset + 1;
    summary.textContent = page.total === 0
      ? 'Aucune réclamation ne correspond.'
      : `${first}–${state.offset + page.rows.length} sur ${page.total} réclamation(s)`;
    const pages = Math.max(1, Math.ceil(page.total / PAGE));
    pageLine.textContent = `Page ${state.offset / PAGE + 1} sur ${pages}`;
    pageInput.max = String(pages);
    pageInput.value = String(state.offset / PAGE + 1);
    prev.disabled = state.offset === 0;
    next.disabled = state.offset + page.rows.length >= page.total;
    // The page just shown becomes the URL (no new history entry, no re-render).
    const hash = toHash(state, rows[0]?.id);
    if (hash !== location.hash && location.hash.startsWith('#/reclamations') && !location.hash.startsWith('#/reclamations/')) {
      history.replaceState(history.state, '', hash);
    }
    listHash = hash;
  }

  let timer = null;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.text = text.value; restart(); }, 120);
  });
  for (const [el, key] of [[step, 'step'], [nature, 'nature'], [channel, 'channel'], [year, 'year']]) {
    el.addEventListener('change', () => { state[key] = el.value; restart(); });
  }
  overdue.input.addEventListener('change', () => { state.overdue_only = overdue.input.checked; restart(); });

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
        h('button', {
          type: 'button', class: 'button',
          onClick: () => replace(panel, exportForm({ status, listQuery: () => listQuery(state), total: () => total, thisYear, year: state.year }, () => panel.replaceChildren())),
        }, 'Exporter…'),
        h('a', { class: 'button', href: '#/reclamations/reprise' }, 'Reprendre l’ancien registre'),
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
    h('div', { class: 'actions' }, prev, pageLine, next),
    jump);
  await refresh();

  // The scroll position of this URL, saved as the user scrolls and when leaving the list.
  let scrollTimer = null;
  const save = () => sessionStorage.setItem(scrollKey(listHash), String(Math.round(window.scrollY)));
  const onScroll = () => { clearTimeout(scrollTimer); scrollTimer = setTimeout(save, 100); };
  // The router scrolls to the top once the view is shown: restore after it.
  setTimeout(() => {
    // The focus stays on the heading, as after every navigation (Ctrl+K goes to the search).
    if (savedScroll > 0) window.scrollTo(0, savedScroll);
    window.addEventListener('scroll', onScroll, { passive: true });
  }, 0);
  return {
    node: view,
    leave: () => {
      clearTimeout(scrollTimer);
      window.removeEventListener('scroll', onScroll);
      save();
    },
  };
}

/**
 * « Exporter… »: the list shown (its filters, every page), a year or the whole register, as a
 * workbook (.xlsx) or CSV, to a file chosen in a dialog (or typed). The count of rows written
 * and the file's path go to `o.status`.
 */
function exportForm(o, close) {
  const years = Array.from({ length: 25 }, (_, i) => String(o.thisYear - i));
  const year = h('select', { id: 'export-year' }, years.map((y) => h('option', { value: y }, y)));
  year.value = o.year || String(o.thisYear);
  const n = o.total();
  const scope = choices({
    name: 'export-scope', legend: 'Réclamations à exporter', type: 'radio',
    items: [['list', `Liste affichée (filtres) : ${n} réclamation(s)`, true], ['year', 'Année de réception', false], ['all', 'Tout le registre', false]],
  });
  // The year's select sits after its radio button, and picks it.
  scope.inputs[1].closest('label').after(h('label', { class: 'visually-hidden', for: year.id }, 'Année à exporter'), year);
  year.addEventListener('change', () => { scope.inputs[1].checked = true; });
  const format = choices({
    name: 'export-format', legend: 'Format', type: 'radio',
    items: [['xlsx', 'Classeur Excel (.xlsx)', true], ['csv', 'CSV (séparateur « ; », pour Excel)', false]],
  });
  const path = field({
    label: 'Fichier (facultatif)',
    className: 'field grow',
    hint: 'Sans chemin saisi, une fenêtre demande où enregistrer le fichier.',
    input: h('input', { type: 'text', name: 'path', placeholder: 'Chemin complet du fichier à écrire' }),
  });
  const summary = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Exporter');
  const form = h('form', { class: 'card subform', novalidate: true, 'aria-label': 'Exporter les réclamations' },
    h('p', { class: 'subtitle' }, 'Exporter les réclamations'),
    h('p', { class: 'hint' }, 'Une ligne par réclamation : références, dates, canal, plaignant, qualifié, natures, étape, décision, clôture, délai de traitement et dépassement du délai global. Les réclamations purgées n’y figurent plus (seule leur trace anonyme est gardée, pour les statistiques).'),
    summary, scope.wrapper, format.wrapper, path.wrapper,
    h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'button', onClick: close }, 'Annuler')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    summary.hidden = true;
    const kind = scope.picked()[0] ?? 'list';
    const what = kind === 'list' ? { kind, query: o.listQuery() } : kind === 'year' ? { kind, year: Number(year.value) } : { kind };
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    o.status.textContent = 'Export en cours…';
    try {
      const r = await api.exportComplaints(what, format.picked()[0] ?? 'xlsx', path.input.value.trim() || null);
      if (!r) {
        o.status.textContent = 'Export annulé.';
        return;
      }
      o.status.textContent = `${r.rows} réclamation(s) exportée(s) dans ${r.path}.`;
      close();
    } catch (err) {
      o.status.textContent = '';
      showRefusal(summary, err);
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  return form;
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
