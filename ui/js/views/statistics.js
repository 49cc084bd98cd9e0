// Statistiques: a year (or any period) compared with the one before, as tables with simple
// bars (inline SVG built with DOM APIs), exported as CSV or as the printable annual report.

import * as api from '../api.js';
import { h, replace, field, showErrors, clearErrors, errorMessage } from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const fr = (v, digits = 1) => (v === null || v === undefined ? '—' : v.toLocaleString('fr-FR', { maximumFractionDigits: digits }));

/** A horizontal bar, `value` out of `max`, drawn in SVG. */
function bar(value, max, kind) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', '160');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('width', String(max > 0 ? Math.round((160 * value) / max) : 0));
  rect.setAttribute('height', '12');
  rect.setAttribute('rx', '2');
  rect.setAttribute('class', kind);
  svg.append(rect);
  return svg;
}

function countTable(title, current, previous) {
  const max = Math.max(1, ...current.map((c) => c.count), ...previous.map((c) => c.count));
  const prev = (label) => previous.find((p) => p.label === label)?.count ?? 0;
  return h('section', { class: 'card stat' },
    h('h2', {}, title),
    h('table', { class: 'table', 'aria-label': title },
      h('thead', {}, h('tr', {}, ['', 'Période', 'Précédente', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, current.map((c) => h('tr', {},
        h('td', {}, c.label),
        h('td', { class: 'num' }, String(c.count)),
        h('td', { class: 'num muted' }, String(prev(c.label))),
        h('td', {}, bar(c.count, max, 'bar-now'), h('br'), bar(prev(c.label), max, 'bar-before')))))));
}

function keyFigures(s, p) {
  const figure = (label, now, before, unit = '') => h('div', { class: 'figure' },
    h('strong', {}, `${now}${unit}`), h('span', {}, label), h('span', { class: 'muted small' }, `précédente : ${before}${unit}`));
  return h('div', { class: 'figures', 'aria-label': 'Chiffres clés' },
    figure('réclamations reçues', s.received, p.received),
    figure('dossiers clos', s.closed, p.closed),
    figure('délai médian (jours)', fr(s.handling_median_days), fr(p.handling_median_days)),
    figure('délai moyen (jours)', fr(s.handling_mean_days), fr(p.handling_mean_days)),
    figure('90e centile (jours)', fr(s.handling_p90_days), fr(p.handling_p90_days)),
    figure('clos en 6 mois', fr(s.closed_within_deadline_pct), fr(p.closed_within_deadline_pct), ' %'),
    figure(`AR sous ${s.ar_days} jours`, fr(s.ar_within_pct), fr(p.ar_within_pct), ' %'),
    figure('dépassements (justifiés)', `${s.overruns} (${s.overruns_justified})`, `${p.overruns} (${p.overruns_justified})`),
    figure('ouvertes en fin de période', s.open_at_end, p.open_at_end));
}

export async function statisticsPage() {
  const today = api.today();
  const thisYear = Number(today.slice(0, 4));
  const year = h('select', {}, Array.from({ length: 21 }, (_, i) => thisYear - i).map((y) => h('option', { value: String(y) }, String(y))));
  year.value = String(thisYear - (Number(today.slice(5, 7)) <= 3 ? 1 : 0));
  const from = h('input', { type: 'text', name: 'from' });
  const to = h('input', { type: 'text', name: 'to' });
  // The core checks the period; its refusals are keyed by these fields.
  const period = new Map([['from', field({ label: 'Du', input: from })], ['to', field({ label: 'Au', input: to })]]);
  const refused = (err) => {
    // Field messages sit by their fields; the generic « un champ est à corriger » adds nothing here.
    const rest = showErrors(period, err);
    status.textContent = err?.fields ? rest.join(' ') : errorMessage(err);
  };
  const body = h('div', {});
  const status = h('p', { role: 'status', class: 'muted' });
  const setYear = () => {
    from.value = `01/01/${year.value}`;
    to.value = `31/12/${year.value}`;
  };
  const title = () => (from.value === `01/01/${year.value}` && to.value === `31/12/${year.value}`
    ? `Bilan annuel des réclamations ${year.value}` : `Bilan des réclamations du ${from.value} au ${to.value}`);
  const load = async () => {
    clearErrors(period);
    try {
      const { current: s, previous: p } = await api.getStatistics(from.value, to.value);
      status.textContent = s.received_purged ? `Dont ${s.received_purged} réclamation(s) purgée(s), comptées d’après leur trace anonyme.` : '';
      replace(body,
        h('h2', { class: 'period' }, title()),
        keyFigures(s, p),
        h('div', { class: 'stat-grid' },
          countTable('Par nature', s.by_nature, p.by_nature),
          countTable('Par canal', s.by_channel, p.by_channel),
          countTable('Par destinataire', s.by_addressee, p.by_addressee),
          countTable('Par qualité du plaignant', s.by_role, p.by_role),
          countTable('Décisions (dossiers clos)', s.by_decision, p.by_decision),
          countTable('Commission de recours', s.by_committee_outcome, p.by_committee_outcome),
          countTable('Qualifiés les plus concernés', s.top_firms, p.top_firms)));
    } catch (err) {
      refused(err);
    }
  };
  year.addEventListener('change', () => { setYear(); load(); });
  const run = async (work, what) => {
    clearErrors(period);
    try {
      const r = await work();
      status.textContent = `${what} : ${r.path}${r.opened ? ' (ouvert)' : ''}`;
    } catch (err) {
      refused(err);
    }
  };
  setYear();
  await load();
  return h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('h1', {}, 'Statistiques'),
      h('div', { class: 'action-buttons' },
        h('button', { type: 'button', class: 'button', onClick: () => run(() => api.exportStatisticsCsv(from.value, to.value), 'Export CSV') }, 'Exporter en CSV'),
        h('button', { type: 'button', class: 'button primary', onClick: () => run(() => api.statisticsReport(from.value, to.value, title()), 'Bilan PDF') }, 'Bilan PDF à imprimer'))),
    h('div', { class: 'filters card' }, h('div', { class: 'filter-row' },
      field({ label: 'Année', input: year }).wrapper,
      period.get('from').wrapper,
      period.get('to').wrapper,
      h('button', { type: 'button', class: 'button', onClick: load }, 'Afficher la période'))),
    status,
    body);
}
