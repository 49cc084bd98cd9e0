// Statistiques: a year (or any period) compared with the one before and the trend over five
// calendar years, as tables with simple bars (inline SVG built with DOM APIs), exported as CSV
// or as the printable annual report.

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

function countTable(title, current, previous, labels) {
  const max = Math.max(1, ...current.map((c) => c.count), ...previous.map((c) => c.count));
  const prev = (label) => previous.find((p) => p.label === label)?.count ?? 0;
  return h('section', { class: 'card stat' },
    h('h2', {}, title),
    h('table', { class: 'table', 'aria-label': title },
      h('thead', {}, h('tr', {}, ['', ...labels, ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, current.map((c) => h('tr', {},
        h('td', {}, c.label),
        h('td', { class: 'num' }, String(c.count)),
        h('td', { class: 'num muted' }, String(prev(c.label))),
        h('td', {}, bar(c.count, max, 'bar-now'), h('br'), bar(prev(c.label), max, 'bar-before')))))));
}

const svgEl = (tag, attrs, text) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

/** Columns per year: received, and closed within the overall deadline, with their values. */
function trendChart(trend) {
  const width = 640;
  const height = 190;
  const base = 160;
  const slot = width / trend.length;
  const max = Math.max(1, ...trend.map((y) => Math.max(y.received, y.closed_within_deadline)));
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, class: 'trend-chart', role: 'img',
    'aria-label': 'Réclamations reçues et dossiers clos dans le délai global, par année' });
  svg.append(svgEl('line', { x1: 0, x2: width, y1: base, y2: base, class: 'axis' }));
  trend.forEach((y, i) => {
    const x = i * slot + slot / 2;
    [[y.received, 'bar-received', -26], [y.closed_within_deadline, 'bar-within', 2]].forEach(([v, kind, dx]) => {
      const tall = Math.round((130 * v) / max);
      svg.append(svgEl('rect', { x: x + dx, y: base - tall, width: 24, height: tall, rx: 2, class: kind }));
      svg.append(svgEl('text', { x: x + dx + 12, y: base - tall - 4, 'text-anchor': 'middle', class: 'value' }, String(v)));
    });
    svg.append(svgEl('text', { x, y: base + 18, 'text-anchor': 'middle', class: 'year' }, y.label));
  });
  return svg;
}

/** Five small columns, one per year, scaled to the row's largest value. */
function spark(values) {
  const max = Math.max(1, ...values);
  const svg = svgEl('svg', { width: 70, height: 18, 'aria-hidden': 'true' });
  values.forEach((v, i) => {
    const tall = Math.max(v > 0 ? 1 : 0, Math.round((18 * v) / max));
    svg.append(svgEl('rect', { x: i * 14, y: 18 - tall, width: 10, height: tall, class: i === values.length - 1 ? 'bar-now' : 'bar-before' }));
  });
  return svg;
}

function trendSection(trend) {
  const title = `Évolution sur ${trend.length} ans`;
  const row = (label, values, shown = values.map(String), kind = '') => h('tr', { class: kind },
    h('th', { scope: 'row' }, label),
    shown.map((v) => h('td', { class: 'num' }, v)),
    h('td', {}, spark(values)));
  const group = (label) => h('tr', { class: 'group' }, h('th', { scope: 'rowgroup', colspan: String(trend.length + 2) }, label));
  const pick = (key) => trend.map((y) => y[key]);
  const byIndex = (key) => trend[0][key].map((c, i) => row(c.label, trend.map((y) => y[key][i]?.count ?? 0)));
  return h('section', { class: 'card stat trend', 'aria-label': title },
    h('h2', {}, title),
    trendChart(trend),
    h('p', { class: 'legend muted small' },
      h('span', { class: 'swatch bar-received' }), ' réclamations reçues ',
      h('span', { class: 'swatch bar-within' }), ' dossiers clos dans le délai global'),
    h('table', { class: 'table', 'aria-label': `${title} (tableau)` },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), trend.map((y) => h('th', { scope: 'col', class: 'num' }, y.label)), h('th', { scope: 'col' }, ''))),
      h('tbody', {},
        row('Réclamations reçues', pick('received')),
        row('Dossiers clos', pick('closed')),
        row('Clos dans le délai global', pick('closed_within_deadline')),
        row('… en % des dossiers clos', pick('closed_within_deadline_pct').map((v) => v ?? 0),
          pick('closed_within_deadline_pct').map((v) => (v === null ? '—' : `${fr(v)} %`))),
        group('Reçues par nature'),
        byIndex('by_nature'),
        group('Décisions des dossiers clos'),
        byIndex('by_decision'))));
}

function keyFigures(s, p) {
  const figure = (label, now, before, unit = '') => h('div', { class: 'figure' },
    h('strong', {}, `${now}${unit}`), h('span', {}, label), h('span', { class: 'muted small' }, `${p.label} : ${before}${unit}`));
  return h('div', { class: 'figures', 'aria-label': 'Chiffres clés' },
    figure('réclamations reçues', s.received, p.received),
    figure('dossiers clos', s.closed, p.closed),
    figure('délai médian (jours)', fr(s.handling_median_days), fr(p.handling_median_days)),
    figure('délai moyen (jours)', fr(s.handling_mean_days), fr(p.handling_mean_days)),
    figure('90e centile (jours)', fr(s.handling_p90_days), fr(p.handling_p90_days)),
    figure('clos dans le délai global', `${s.closed_within_deadline} (${fr(s.closed_within_deadline_pct)} %)`,
      `${p.closed_within_deadline} (${fr(p.closed_within_deadline_pct)} %)`),
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
      const { current: s, previous: p, trend } = await api.getStatistics(from.value, to.value);
      const labels = [s.label, p.label];
      status.textContent = s.received_purged ? `Dont ${s.received_purged} réclamation(s) purgée(s), comptées d’après leur trace anonyme.` : '';
      replace(body,
        h('h2', { class: 'period' }, title()),
        h('p', { class: 'muted' }, `Comparée avec ${p.label.startsWith('du ') ? `la période ${p.label}` : p.label}.`),
        keyFigures(s, p),
        trendSection(trend),
        h('div', { class: 'stat-grid' },
          countTable('Par nature', s.by_nature, p.by_nature, labels),
          countTable('Par canal', s.by_channel, p.by_channel, labels),
          countTable('Par destinataire', s.by_addressee, p.by_addressee, labels),
          countTable('Par qualité du plaignant', s.by_role, p.by_role, labels),
          countTable('Décisions (dossiers clos)', s.by_decision, p.by_decision, labels),
          countTable('Commission de recours', s.by_committee_outcome, p.by_committee_outcome, labels),
          countTable('Qualifiés les plus concernés', s.top_firms, p.top_firms, labels)));
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
