// Qualifiés: the firms register (search, create, import from CSV) and each firm's file
// (« dossier du qualifié »): its details to edit, qualifications, complaints and documents.

import * as api from '../api.js';
import { h, dash, replace, frDate, exportPanel, field, showErrors, clearErrors, showRefusal } from '../dom.js';
import { setFlash, takeFlash } from '../flash.js';
import { label, pairs, firmStatus as flags } from '../vocabulary.js';

/** A firm's form; `onSaved(id)` after the core accepted it. Errors show next to fields. */
function firmForm(firm, onSaved, onCancel) {
  const fields = new Map();
  const add = (key, text, input) => {
    input.name = key;
    const f = field({ label: text, input });
    fields.set(key, f);
    return f.wrapper;
  };
  const box = (key, checked) => {
    const f = field({ label: label('firm_statuses', key.replace(/^is_/, '')), inline: true, className: 'choice-item',
      input: h('input', { type: 'checkbox', name: key, checked }) });
    fields.set(key, f);
    return f.wrapper;
  };
  const f = firm ?? { name: '', siret: '', address: { lines: [], postcode: '', city: '' }, email: '', phone: '', is_qualified: false, is_certified: false, is_rge: false };
  const status = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card subform', novalidate: true, 'aria-label': firm ? 'Modifier le qualifié' : 'Nouveau qualifié' },
    status,
    h('div', { class: 'grid' },
      add('name', 'Raison sociale', h('input', { type: 'text', value: f.name })),
      add('siret', 'SIRET', h('input', { type: 'text', value: f.siret ?? '' })),
      add('email', 'Courriel', h('input', { type: 'text', value: f.email })),
      add('phone', 'Téléphone', h('input', { type: 'text', value: f.phone }))),
    add('address_lines', 'Adresse', h('textarea', { rows: 2 }, f.address.lines.join('\n'))),
    h('div', { class: 'grid' },
      add('postcode', 'Code postal', h('input', { type: 'text', value: f.address.postcode })),
      add('city', 'Ville', h('input', { type: 'text', value: f.address.city }))),
    h('div', { class: 'choice-row' }, box('is_qualified', f.is_qualified), box('is_certified', f.is_certified), box('is_rge', f.is_rge)),
    h('p', { class: 'hint' }, 'Les courriers déjà archivés ne changent pas : ils restent tels qu’ils ont été envoyés.'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer le qualifié'),
      onCancel ? h('button', { type: 'button', class: 'button', onClick: onCancel }, 'Annuler') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields, status);
    const value = Object.fromEntries([...fields].map(([k, { input }]) => [k, input.type === 'checkbox' ? input.checked : input.value]));
    try {
      onSaved(await api.saveFirm(firm?.id ?? null, value));
    } catch (err) {
      showErrors(fields, err, { summary: status, alias: (key) => key.replace(/^firm\./, '') });
    }
  });
  return form;
}

/** « Importer des qualifiés (CSV) »: preview, then import; `done` runs after an import. */
export function importPanel(done) {
  const pathField = field({ label: 'Chemin du fichier', className: 'field grow', input: h('input', { type: 'text', placeholder: '/chemin/vers/qualifies.csv' }) });
  const path = pathField.input;
  const report = h('div', {});
  const error = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const run = async (apply) => {
    error.hidden = true;
    try {
      const r = await api.importFirms(path.value, apply);
      replace(report,
        h('p', { role: 'status', class: apply ? 'banner banner-success' : 'muted' },
          `${apply ? 'Import terminé' : 'Aperçu (rien n’est encore enregistré)'} — fichier ${r.encoding}, séparateur ${r.delimiter} : `
          + `${r.created} créé(s), ${r.updated} mis à jour, ${r.unchanged} inchangé(s), ${r.rejected} refusé(s).`),
        h('p', { class: 'hint' }, 'Colonnes reconnues : ', r.columns.map(([name, field]) => `${name} → ${field ?? 'ignorée'}`).join(' ; ')),
        h('table', { class: 'table', 'aria-label': 'Rapport d’import' },
          h('thead', {}, h('tr', {}, ['Ligne', 'Raison sociale', 'Résultat', 'Détail'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, r.lines.map((l) => h('tr', { class: `import-${l.outcome}` },
            h('td', {}, String(l.line)), h('td', {}, l.name),
            h('td', {}, label('import_outcomes', l.outcome)),
            h('td', {}, l.message))))),
        apply ? null : h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onClick: () => run(true) }, 'Importer ces qualifiés')));
      if (apply) done();
    } catch (err) {
      showRefusal(error, err);
    }
  };
  return h('section', { class: 'card', 'aria-label': 'Importer des qualifiés' },
    h('h2', {}, 'Importer des qualifiés (CSV)'),
    h('p', { class: 'hint' }, 'Export CSV d’un tableur, UTF-8 ou Windows-1252, séparé par « ; » ou « , ». Un qualifié déjà connu (même SIRET, ou même nom et code postal) est mis à jour, jamais dupliqué.'),
    error,
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button', onClick: async () => { const p = await api.chooseImportFile(); if (p) { path.value = p; run(false); } } }, 'Choisir un fichier…'),
      pathField.wrapper,
      h('button', { type: 'button', class: 'button', onClick: () => run(false) }, 'Aperçu de l’import')),
    report);
}

export async function firmsList() {
  const text = h('input', { type: 'search', placeholder: 'Nom, SIRET ou ville' });
  const tbody = h('tbody', {});
  const count = h('p', { class: 'muted', role: 'status' });
  const panel = h('div', {});
  const refresh = async () => {
    const firms = await api.searchFirms(text.value);
    count.textContent = `${firms.length}${firms.length === 500 ? '+' : ''} qualifié(s)`;
    replace(tbody, firms.map((f) => h('tr', { class: 'clickable', onClick: () => { location.hash = `#/qualifies/${f.id}`; } },
      h('td', {}, h('a', { href: `#/qualifies/${f.id}` }, f.name)),
      h('td', { class: 'mono' }, dash(f.siret)),
      h('td', {}, dash([f.address.postcode, f.address.city].filter(Boolean).join(' '))),
      h('td', {}, dash(flags(f))))));
  };
  let timer = null;
  text.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refresh, 120); });
  await refresh();
  return h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('h1', {}, 'Qualifiés'),
      h('div', { class: 'action-buttons' },
        h('button', { type: 'button', class: 'button', onClick: () => replace(panel, importPanel(refresh)) }, 'Importer un fichier'),
        h('button', {
          type: 'button',
          class: 'button primary',
          onClick: () => replace(panel, firmForm(null, (id) => { setFlash('Qualifié enregistré.'); location.hash = `#/qualifies/${id}`; }, () => panel.replaceChildren())),
        }, 'Nouveau qualifié'))),
    takeFlash(h),
    panel,
    field({ label: 'Rechercher un qualifié', input: text }).wrapper,
    count,
    h('table', { class: 'table', 'aria-label': 'Registre des qualifiés' },
      h('thead', {}, h('tr', {}, ['Raison sociale', 'SIRET', 'Ville', 'Statut'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody));
}

export async function firmFile(id) {
  const file = await api.getFirmFile(id);
  const f = file.firm;
  const root = h('section', { class: 'page' });
  const editSlot = h('div', {});
  const qualErr = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const q = new Map([
    ['kind', field({ label: 'Type', input: h('select', { name: 'kind' }, pairs('qualification_kinds').map(([v, t]) => h('option', { value: v }, t))) })],
    ['reference', field({ label: 'Référence', input: h('input', { type: 'text', name: 'reference' }) })],
    ['label', field({ label: 'Intitulé', input: h('input', { type: 'text', name: 'label' }) })],
    ['valid_from', field({ label: 'Valide du', input: h('input', { type: 'text', name: 'valid_from', placeholder: 'JJ/MM/AAAA' }) })],
    ['valid_until', field({ label: 'au', input: h('input', { type: 'text', name: 'valid_until', placeholder: 'JJ/MM/AAAA' }) })],
  ]);
  const addQual = h('form', { class: 'inline-form', novalidate: true, 'aria-label': 'Ajouter une qualification' },
    [...q.values()].map((f) => f.wrapper),
    h('button', { type: 'submit', class: 'button' }, 'Ajouter'), qualErr);
  addQual.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(q, qualErr);
    try {
      await api.addQualification(id, Object.fromEntries([...q].map(([k, f]) => [k, f.input.value])));
      setFlash('Qualification ajoutée.');
      replace(root, await firmFile(id));
    } catch (err) {
      showErrors(q, err, { summary: qualErr });
    }
  });
  replace(root,
    h('header', { class: 'page-head' },
      h('div', {}, h('h1', {}, f.name), h('p', { class: 'muted' }, `Dossier du qualifié — ${dash(flags(f))}${f.siret ? ` — SIRET ${f.siret}` : ''}`)),
      h('div', { class: 'action-buttons' },
        h('a', { class: 'button', href: `#/reclamations?qualifie=${f.id}` }, 'Ses réclamations dans la liste'),
        h('button', { type: 'button', class: 'button', onClick: () => replace(editSlot, firmForm(f, async () => { setFlash('Qualifié enregistré.'); replace(root, await firmFile(id)); }, () => editSlot.replaceChildren())) }, 'Modifier'))),
    takeFlash(h),
    editSlot,
    h('section', { class: 'card' }, h('h2', {}, 'Coordonnées'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Adresse'), h('dd', {}, dash([...f.address.lines, [f.address.postcode, f.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', '))),
        h('dt', {}, 'Courriel'), h('dd', {}, dash(f.email)),
        h('dt', {}, 'Téléphone'), h('dd', {}, dash(f.phone)))),
    h('section', { class: 'card' }, h('h2', {}, 'Qualifications et certifications'),
      file.qualifications.length ? h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['Type', 'Référence', 'Intitulé', 'Validité', 'Statut'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.qualifications.map((x) => {
          // The appeals committee's suspension or withdrawal, with its dates and the complaint.
          const st = (file.statuses || []).find((s) => s.qualification_id === x.id);
          return h('tr', { 'data-qualification': x.reference },
            h('td', {}, label('qualification_kinds', x.kind)), h('td', {}, x.reference), h('td', {}, dash(x.label)),
            h('td', {}, x.valid_from || x.valid_until ? `${frDate(x.valid_from) || '…'} → ${frDate(x.valid_until) || '…'}` : '—'),
            h('td', { class: 'qualification-status' }, st
              ? h('span', {}, h('span', { class: `badge badge-${st.status === 'withdrawn' ? 'red' : 'orange'}` }, st.status === 'withdrawn' ? 'Retirée' : 'Suspendue'), ' ',
                st.text.replace(/ \(réclamation .*\)$/, ''),
                st.complaint_id ? h('span', {}, ' — réclamation ', h('a', { href: `#/reclamations/${st.complaint_id}`, class: 'mono' }, st.complaint_reference)) : null)
              : '—'));
        }))) : h('p', { class: 'muted' }, 'Aucune enregistrée.'),
      addQual),
    h('section', { class: 'card' }, h('h2', {}, `Réclamations (${file.complaints.length})`),
      file.complaints.length ? h('table', { class: 'table', 'aria-label': 'Réclamations du qualifié' },
        h('thead', {}, h('tr', {}, ['Référence', 'Reçue le', 'Plaignant', 'Étape', 'Décision', 'Clôture'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.complaints.map((c) => h('tr', {},
          h('td', {}, h('a', { href: `#/reclamations/${c.id}`, class: 'mono' }, c.reference)), h('td', {}, frDate(c.received_on)),
          h('td', {}, c.complainant), h('td', {}, c.step_label), h('td', {}, dash(c.decision_label)), h('td', {}, c.closed_on ? frDate(c.closed_on) : '—'))))) : h('p', { class: 'muted' }, 'Aucune réclamation.')),
    h('section', { class: 'card' }, h('h2', {}, `Documents (${file.documents.length})`),
      file.documents.length ? h('table', { class: 'table', 'aria-label': 'Documents du qualifié' },
        h('thead', {}, h('tr', {}, ['Date', 'Réclamation', 'Sens', 'Document', 'Envoi', 'Fichier'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.documents.map((d) => h('tr', {},
          h('td', {}, frDate(d.created_on)), h('td', { class: 'mono' }, d.reference), h('td', {}, label('directions', d.direction)),
          h('td', {}, d.kind_label), h('td', {}, d.sent_on ? frDate(d.sent_on) : (d.direction === 'out' ? 'À envoyer' : '—')),
          h('td', { class: 'mono small' }, d.relative_path))))) : h('p', { class: 'muted' }, 'Aucun document.')),
    h('section', { class: 'card' }, h('h2', {}, 'Export pour audit'), exportPanel((folder) => api.exportDossier(null, id, folder))));
  return root;
}
