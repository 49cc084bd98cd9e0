// « Données d'une personne (droit d'accès) » (Paramètres): a complainant, a firm or an
// intervenant found by name or email (accents and case ignored), and what the register holds
// about them exported into a folder (a PDF and a copy of the documents).

import * as api from '../api.js';
import { h, replace, field, showErrors, clearErrors, errorMessage, exportPanel } from '../dom.js';

/** The table of the people found, one radio button each; `pick(match)` when one is chosen. */
function matchesTable(found, pick) {
  return h('table', { class: 'table', 'aria-label': 'Personnes trouvées' },
    h('thead', {}, h('tr', {}, ['Choisir', 'Nom', 'Qualité', 'Courriel', 'Précision', 'Réclamations'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, found.map((m, i) => {
      const id = `person-${i}`;
      return h('tr', {},
        h('td', {}, h('input', { type: 'radio', name: 'person', id, checked: i === 0, onChange: () => pick(m) })),
        h('td', {}, h('label', { for: id }, m.name)),
        h('td', {}, m.kind_label),
        h('td', {}, m.email || '—'),
        h('td', {}, m.detail || '—'),
        h('td', { class: 'num' }, String(m.complaints)));
    })));
}

/** The card. */
export function personalDataCard() {
  const search = field({
    label: 'Nom ou adresse électronique',
    hint: 'Plaignant, qualifié ou intervenant ; accents et majuscules ignorés.',
    className: 'field grow',
    input: h('input', { type: 'search', name: 'text', autocomplete: 'off', spellcheck: 'false' }),
  });
  const fields = new Map([['text', search]]);
  const results = h('div', { class: 'person-results' });
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { class: 'inline-form', novalidate: true, role: 'search', 'aria-label': 'Chercher une personne' },
    search.wrapper,
    h('button', { type: 'submit', class: 'button primary' }, 'Chercher'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields);
    replace(results);
    status.textContent = '';
    try {
      const found = await api.findPersons(search.input.value);
      if (!found.length) {
        status.textContent = 'Aucune personne trouvée.';
        return;
      }
      let chosen = found[0];
      status.textContent = `${found.length} personne(s) trouvée(s).`;
      replace(results,
        matchesTable(found, (m) => { chosen = m; }),
        h('p', { class: 'hint' }, 'L’export crée un dossier « donnees-… » : un PDF de tout ce que le registre détient sur la personne choisie (identité, réclamations qui la nomment, entrées du journal qui la nomment, documents, déclarations d’intérêts) et une copie des documents. Relisez-le avant de le remettre : les pièces d’un dossier peuvent nommer des tiers.'),
        exportPanel((folder) => api.exportPersonData(chosen.kind, chosen.id, folder), 'Exporter ses données…'));
    } catch (err) {
      const rest = showErrors(fields, err);
      if (!err?.fields || rest.length) status.textContent = [errorMessage(err), ...rest].join(' ');
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'h-personal-data' },
    h('h2', { id: 'h-personal-data' }, 'Données d’une personne (droit d’accès)'),
    h('p', { class: 'hint' }, 'Pour répondre à une demande d’accès (RGPD, article 15) : cherchez la personne, choisissez-la, puis exportez ce que le registre détient sur elle.'),
    form, status, results);
}
