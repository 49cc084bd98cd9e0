// Qualifiés: the firms register (search, create, import from CSV) and each firm's file
// (« dossier du qualifié »): its details to edit, qualifications, complaints and documents.

import * as api from '../api.js';
import { h, dash, replace, frDate, nextId, exportPanel } from '../dom.js';
import { setFlash, takeFlash } from '../flash.js';

const flags = (f) => [f.is_qualified && 'Qualifié', f.is_certified && 'Certifié', f.is_rge && 'RGE']
  .filter(Boolean).join(', ');

/** A firm's form; `onSaved(id)` after the core accepted it. Errors show next to fields. */
function firmForm(firm, onSaved, onCancel) {
  const inputs = {};
  const errors = {};
  const field = (key, label, input) => {
    const id = nextId('q');
    input.id = id;
    inputs[key] = input;
    errors[key] = h('p', { class: 'field-error', hidden: true });
    input.setAttribute('aria-describedby', `${id}-e`);
    errors[key].id = `${id}-e`;
    return h('div', { class: 'field' }, h('label', { for: id }, label), input, errors[key]);
  };
  const box = (key, label, checked) => {
    const id = nextId('q');
    inputs[key] = h('input', { type: 'checkbox', id, checked });
    return h('label', { class: 'choice', for: id }, inputs[key], ` ${label}`);
  };
  const f = firm ?? { name: '', siret: '', address: { lines: [], postcode: '', city: '' }, email: '', phone: '', is_qualified: true, is_certified: false, is_rge: false };
  const status = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card subform', novalidate: true, 'aria-label': firm ? 'Modifier le qualifié' : 'Nouveau qualifié' },
    status,
    h('div', { class: 'grid' },
      field('name', 'Raison sociale', h('input', { type: 'text', value: f.name })),
      field('siret', 'SIRET', h('input', { type: 'text', value: f.siret ?? '' })),
      field('email', 'Courriel', h('input', { type: 'text', value: f.email })),
      field('phone', 'Téléphone', h('input', { type: 'text', value: f.phone }))),
    field('address_lines', 'Adresse', h('textarea', { rows: 2 }, f.address.lines.join('\n'))),
    h('div', { class: 'grid' },
      field('postcode', 'Code postal', h('input', { type: 'text', value: f.address.postcode })),
      field('city', 'Ville', h('input', { type: 'text', value: f.address.city }))),
    h('div', { class: 'choice-row' }, box('is_qualified', 'Qualifié', f.is_qualified), box('is_certified', 'Certifié', f.is_certified), box('is_rge', 'RGE', f.is_rge)),
    h('p', { class: 'hint' }, 'Les courriers déjà archivés ne changent pas : ils restent tels qu’ils ont été envoyés.'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer le qualifié'),
      onCancel ? h('button', { type: 'button', class: 'button', onClick: onCancel }, 'Annuler') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.hidden = true;
    for (const el of Object.values(errors)) el.hidden = true;
    const value = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.type === 'checkbox' ? i.checked : i.value]));
    try {
      onSaved(await api.saveFirm(firm?.id ?? null, value));
    } catch (err) {
      status.hidden = false;
      status.textContent = err?.message ?? String(err);
      for (const [key, message] of Object.entries(err?.fields ?? {})) {
        const el = errors[key.replace(/^firm\./, '')];
        if (el) {
          el.textContent = message;
          el.hidden = false;
        }
      }
    }
  });
  return form;
}

function importPanel(done) {
  const pathId = nextId('i');
  const path = h('input', { type: 'text', id: pathId, placeholder: '/chemin/vers/qualifies.csv' });
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
            h('td', {}, { created: 'Créé', updated: 'Mis à jour', unchanged: 'Inchangé', rejected: 'Refusé' }[l.outcome]),
            h('td', {}, l.message))))),
        apply ? null : h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onClick: () => run(true) }, 'Importer ces qualifiés')));
      if (apply) done();
    } catch (err) {
      error.hidden = false;
      error.textContent = Object.values(err?.fields ?? {})[0] ?? err?.message ?? String(err);
    }
  };
  return h('section', { class: 'card', 'aria-label': 'Importer des qualifiés' },
    h('h2', {}, 'Importer des qualifiés (CSV)'),
    h('p', { class: 'hint' }, 'Export CSV d’un tableur, UTF-8 ou Windows-1252, séparé par « ; » ou « , ». Un qualifié déjà connu (même SIRET, ou même nom et code postal) est mis à jour, jamais dupliqué.'),
    error,
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button', onClick: async () => { const p = await api.chooseImportFile(); if (p) { path.value = p; run(false); } } }, 'Choisir un fichier…'),
      h('div', { class: 'field grow' }, h('label', { for: pathId }, 'Chemin du fichier'), path),
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
  const textId = nextId('f');
  text.id = textId;
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
    h('div', { class: 'field' }, h('label', { for: textId }, 'Rechercher un qualifié'), text),
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
  const qualErr = h('p', { class: 'field-error', hidden: true });
  const q = { reference: h('input', { type: 'text' }), label: h('input', { type: 'text' }), valid_from: h('input', { type: 'text', placeholder: 'JJ/MM/AAAA' }), valid_until: h('input', { type: 'text', placeholder: 'JJ/MM/AAAA' }) };
  const kind = h('select', {}, h('option', { value: 'qualification' }, 'Qualification'), h('option', { value: 'certification' }, 'Certification'));
  const field = (label, input) => { const i = nextId('q'); input.id = i; return h('div', { class: 'field' }, h('label', { for: i }, label), input); };
  const addQual = h('form', { class: 'inline-form', novalidate: true, 'aria-label': 'Ajouter une qualification' },
    field('Type', kind), field('Référence', q.reference), field('Intitulé', q.label), field('Valide du', q.valid_from), field('au', q.valid_until),
    h('button', { type: 'submit', class: 'button' }, 'Ajouter'), qualErr);
  addQual.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.addQualification(id, { kind: kind.value, ...Object.fromEntries(Object.entries(q).map(([k, i]) => [k, i.value])) });
      setFlash('Qualification ajoutée.');
      replace(root, await firmFile(id));
    } catch (err) {
      qualErr.hidden = false;
      qualErr.textContent = Object.values(err?.fields ?? {}).join(' ') || err?.message;
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
        h('thead', {}, h('tr', {}, ['Type', 'Référence', 'Intitulé', 'Validité'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.qualifications.map((x) => h('tr', {},
          h('td', {}, x.kind === 'certification' ? 'Certification' : 'Qualification'), h('td', {}, x.reference), h('td', {}, dash(x.label)),
          h('td', {}, x.valid_from || x.valid_until ? `${frDate(x.valid_from) || '…'} → ${frDate(x.valid_until) || '…'}` : '—'))))) : h('p', { class: 'muted' }, 'Aucune enregistrée.'),
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
          h('td', {}, frDate(d.created_on)), h('td', { class: 'mono' }, d.reference), h('td', {}, d.direction === 'in' ? 'Reçu' : 'Envoyé'),
          h('td', {}, d.kind_label), h('td', {}, d.sent_on ? frDate(d.sent_on) : (d.direction === 'out' ? 'À envoyer' : '—')),
          h('td', { class: 'mono small' }, d.relative_path))))) : h('p', { class: 'muted' }, 'Aucun document.')),
    h('section', { class: 'card' }, h('h2', {}, 'Export pour audit'), exportPanel((folder) => api.exportDossier(null, id, folder))));
  return root;
}
