// Qualifiés: the firms register (search, filter by status, create, import the organisation's
// export) and each firm's file (« dossier du qualifié »): its details to correct, its
// qualifications to correct or end, its history, complaints and documents.

import * as api from '../api.js';
import { h, dash, replace, frDate, exportPanel, field, showErrors, clearErrors, showRefusal } from '../dom.js';
import { setFlash, takeFlash } from '../flash.js';
import { label, pairs } from '../vocabulary.js';
import { currentStaffId } from '../session.js';

const STANDING_BADGE = { valid: 'badge-ok', expired: 'badge-red', withdrawn: 'badge-red', suspended: 'badge-orange', future: 'badge-neutral', declared: 'badge-neutral', none: 'badge-neutral' };

/** « Qualifié jusqu'au 14/03/2027 » as a badge coloured by its code. */
const standingBadge = (s) => h('span', { class: `badge ${STANDING_BADGE[s.code] ?? 'badge-neutral'}`, 'data-standing': s.code }, s.text);

/** « SIRET à vérifier » beside a SIRET kept although its check digit fails. */
const siretCell = (f) => [h('span', { class: 'mono' }, dash(f.siret)), f.siret_to_check ? [' ', h('span', { class: 'badge badge-orange' }, 'SIRET à vérifier')] : null];

/** A firm's form; `onSaved(id)` after the core accepted it. Errors show next to fields. */
function firmForm(firm, onSaved, onCancel) {
  const fields = new Map();
  const add = (key, text, input, hint) => {
    input.name = key;
    const f = field({ label: text, input, hint });
    fields.set(key, f);
    return f.wrapper;
  };
  const box = (key, text, checked) => {
    const f = field({ label: text, inline: true, className: 'choice-item', input: h('input', { type: 'checkbox', name: key, checked }) });
    fields.set(key, f);
    return f.wrapper;
  };
  const f = firm ?? { number: '', name: '', siret: '', address: { lines: [], postcode: '', city: '' }, email: '', phone: '', is_qualified: false, is_certified: false, is_rge: false };
  const status = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  // Offered once the core says the SIRET's check digit fails (or it is already « à vérifier »).
  const confirm = box('confirm_siret', 'Garder ce SIRET (à vérifier)', Boolean(firm?.siret_to_check));
  confirm.hidden = !firm?.siret_to_check;
  const form = h('form', { class: 'card subform', novalidate: true, 'aria-label': firm ? 'Modifier le qualifié' : 'Nouveau qualifié' },
    h('fieldset', {}, h('legend', {}, firm ? 'Modifier le qualifié' : 'Nouveau qualifié'),
    status,
    h('div', { class: 'grid' },
      add('name', 'Raison sociale', h('input', { type: 'text', value: f.name })),
      add('number', 'N° qualifié', h('input', { type: 'text', value: f.number ?? '' }), 'Son numéro dans l’organisme, s’il est connu.'),
      add('siret', 'SIRET', h('input', { type: 'text', value: f.siret ?? '' })),
      add('email', 'Courriel', h('input', { type: 'text', value: f.email })),
      add('phone', 'Téléphone', h('input', { type: 'text', value: f.phone }))),
    confirm,
    add('address_lines', 'Adresse', h('textarea', { rows: 2 }, f.address.lines.join('\n'))),
    h('div', { class: 'grid' },
      add('postcode', 'Code postal', h('input', { type: 'text', value: f.address.postcode })),
      add('city', 'Ville', h('input', { type: 'text', value: f.address.city }))),
    h('p', { class: 'hint' }, 'Statut déclaré, pris en compte seulement si le qualifié n’a aucune qualification datée :'),
    h('div', { class: 'choice-row' },
      box('is_qualified', label('firm_statuses', 'qualified'), f.is_qualified),
      box('is_certified', label('firm_statuses', 'certified'), f.is_certified),
      box('is_rge', label('firm_statuses', 'rge'), f.is_rge)),
    firm ? add('reason', 'Motif de la modification', h('input', { type: 'text' }), 'Déménagement, erreur de saisie… : gardé dans l’historique du qualifié.') : null,
    h('p', { class: 'hint' }, 'Les courriers déjà archivés ne changent pas : ils restent tels qu’ils ont été envoyés.'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer le qualifié'),
      onCancel ? h('button', { type: 'button', class: 'button', onClick: onCancel }, 'Annuler') : null)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields, status);
    const value = Object.fromEntries([...fields].map(([k, { input }]) => [k, input.type === 'checkbox' ? input.checked : input.value]));
    try {
      onSaved(await api.saveFirm(firm?.id ?? null, currentStaffId(), value));
    } catch (err) {
      if (err?.fields?.['firm.siret']) confirm.hidden = false;
      showErrors(fields, err, { summary: status, alias: (key) => key.replace(/^firm\./, '') });
    }
  });
  return form;
}

/** « old → new » lines of what an import or a correction changes. */
const changeList = (changes) => h('ul', { class: 'changes' },
  changes.map((c) => h('li', {}, c.old ? `${c.field} : ${c.old} → ${c.new}` : `${c.field} : ${c.new}`)));

const QUAL_OUTCOME = { added: 'ajoutée', changed: 'modifiée', ended: 'terminée', unchanged: 'inchangée' };

/** The preview or result of an import: counts, columns, then firm by firm what changes. */
function importReport(r) {
  const changed = r.firms.filter((f) => f.outcome !== 'unchanged' || f.warnings.length);
  const unchanged = r.firms.length - changed.length;
  return [
    h('div', { role: 'status', class: r.applied ? 'banner banner-success import-summary' : 'banner import-summary' },
      h('strong', {}, r.applied ? 'Import terminé' : 'Aperçu (rien n’est encore enregistré)'),
      ` — ${r.file_name} (${r.format}${r.encoding ? `, ${r.encoding}, séparateur ${r.delimiter}` : ''})`,
      h('ul', {},
        h('li', {}, `Qualifiés : ${r.created} nouveau(x), ${r.updated} modifié(s), ${r.unchanged} inchangé(s), ${r.rejected} ligne(s) refusée(s)`),
        h('li', {}, `Qualifications : ${r.qualifications_added} ajoutée(s), ${r.qualifications_changed} modifiée(s) ou terminée(s)`),
        h('li', {}, `${r.warnings} avertissement(s) ; ${r.absent_count} qualifié(s) du registre absent(s) du fichier`))),
    h('p', { class: 'hint' }, 'Colonnes reconnues : ', r.columns.map(([name, f]) => `${name} → ${f ?? 'ignorée'}`).join(' ; ')),
    r.refused.length ? h('section', { 'aria-label': 'Lignes refusées' }, h('h3', {}, 'Lignes refusées'),
      h('ul', {}, r.refused.map((l) => h('li', { class: 'import-rejected' }, l.message)))) : null,
    changed.length ? h('table', { class: 'table', 'aria-label': 'Rapport d’import' },
      h('thead', {}, h('tr', {}, ['Ligne', 'Qualifié', 'N°', 'Résultat', 'Ce qui change', 'Avertissements'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, changed.map((f) => h('tr', { class: `import-${f.outcome}`, 'data-firm': f.name },
        h('td', {}, String(f.line)),
        h('td', {}, f.firm_id && r.applied ? h('a', { href: `#/qualifies/${f.firm_id}` }, f.name) : f.name),
        h('td', { class: 'mono nowrap' }, dash(f.number)),
        h('td', {}, label('import_outcomes', f.outcome)),
        h('td', {},
          f.changes.length ? changeList(f.changes) : null,
          f.qualifications.filter((q) => q.outcome !== 'unchanged').map((q) => h('div', { class: 'qual-change' },
            h('strong', {}, `${q.name} — ${QUAL_OUTCOME[q.outcome] ?? q.outcome}`),
            q.outcome === 'added'
              ? h('div', { class: 'muted' }, q.changes.map((c) => c.new).join(' ; '))
              : changeList(q.changes)))),
        h('td', {}, f.warnings.length ? h('ul', { class: 'warnings' }, f.warnings.map((w) => h('li', {}, w))) : '—'))))) : null,
    unchanged ? h('p', { class: 'muted' }, `${unchanged} qualifié(s) du fichier déjà à jour.`) : null,
    r.absent_count ? h('details', { class: 'explain' },
      h('summary', {}, `${r.absent_count} qualifié(s) du registre absent(s) du fichier : laissés tels quels`),
      h('ul', {}, r.absent.map((a) => h('li', {}, a.number ? `${a.name} (n° ${a.number})` : a.name)))) : null,
  ];
}

/** « Importer le registre des qualifiés »: preview, then import; `done` runs after an import. */
export function importPanel(done) {
  const pathField = field({ label: 'Chemin du fichier', className: 'field grow', input: h('input', { type: 'text', placeholder: '/chemin/vers/qualifies.csv' }) });
  const path = pathField.input;
  const report = h('div', {});
  const error = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const run = async (apply) => {
    error.hidden = true;
    try {
      const r = await api.importFirms(path.value, apply, currentStaffId());
      replace(report, importReport(r),
        apply ? null : h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onClick: () => run(true) }, 'Importer ces qualifiés')));
      if (apply) done();
    } catch (err) {
      showRefusal(error, err);
    }
  };
  return h('section', { class: 'card', 'aria-label': 'Importer des qualifiés' },
    h('h2', {}, 'Importer le registre des qualifiés'),
    h('p', { class: 'hint' }, 'Export du logiciel de qualification ou d’un tableur : CSV (UTF-8 ou Windows-1252, « ; » ou « , »), Excel (.xlsx, .xls) ou OpenDocument (.ods). '
      + 'Une ligne par qualifié, ou une ligne par qualifié et par qualification. Un qualifié déjà connu (même n° qualifié, même SIRET, ou même nom et code postal) est mis à jour, jamais dupliqué ; '
      + 'un aperçu montre d’abord ce qui change.'),
    h('details', { class: 'explain' }, h('summary', {}, 'Colonnes reconnues'),
      h('ul', {},
        h('li', {}, 'Qualifié : N° qualifié (ou N° adhérent, Code), Raison sociale (obligatoire), SIRET, Adresse (plusieurs colonnes possibles), Code postal, Ville, Courriel (E-mail), Téléphone (Tél.), Qualifié, Certifié, RGE.'),
        h('li', {}, 'Qualification : Code de la qualification, Qualification (intitulé, « 2.1 Économie de la construction »), Type (qualification ou certification), Date d’attribution, Fin de validité, Statut (en cours, suspendue, retirée), Date du statut, Fin du statut.'),
        h('li', {}, 'Un SIRET dont la clé est fausse, un courriel ou une date illisible, une fin de validité antérieure à la date d’attribution, un statut inconnu : la ligne est reprise avec un avertissement. Un qualifié sans courriel ou sans téléphone est signalé. Seule une ligne sans raison sociale est refusée.'))),
    error,
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button', onClick: async () => { const p = await api.chooseImportFile(); if (p) { path.value = p; run(false); } } }, 'Choisir un fichier…'),
      pathField.wrapper,
      h('button', { type: 'button', class: 'button', onClick: () => run(false) }, 'Aperçu de l’import')),
    report);
}

const STATUS_FILTERS = [
  ['', 'Tous les qualifiés'],
  ['valid', 'Qualification en cours'],
  ['expired', 'Qualification expirée'],
  ['suspended', 'Qualification suspendue'],
  ['withdrawn', 'Qualification retirée'],
  ['future', 'Qualification à venir'],
  ['declared', 'Statut déclaré, sans dates'],
  ['siret_to_check', 'SIRET à vérifier'],
];

export async function firmsList() {
  const text = h('input', { type: 'search', placeholder: 'Nom, n° qualifié, SIRET ou ville' });
  const status = h('select', {}, STATUS_FILTERS.map(([v, t]) => h('option', { value: v }, t)));
  const tbody = h('tbody', {});
  const count = h('p', { class: 'muted', role: 'status' });
  const panel = h('div', {});
  const refresh = async () => {
    const firms = await api.searchFirms({ text: text.value, status: status.value });
    count.textContent = `${firms.length}${firms.length === 500 ? '+' : ''} qualifié(s)`;
    replace(tbody, firms.map((f) => h('tr', { class: 'clickable', onClick: () => { location.hash = `#/qualifies/${f.id}`; } },
      h('td', {}, h('a', { href: `#/qualifies/${f.id}` }, f.name)),
      h('td', { class: 'mono nowrap' }, dash(f.number)),
      h('td', {}, siretCell(f)),
      h('td', {}, dash([f.address.postcode, f.address.city].filter(Boolean).join(' '))),
      h('td', {}, standingBadge(f.standing)))));
  };
  let timer = null;
  text.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refresh, 120); });
  status.addEventListener('change', refresh);
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
    h('div', { class: 'grid' },
      field({ label: 'Rechercher un qualifié', input: text }).wrapper,
      field({ label: 'Statut aujourd’hui', input: status }).wrapper),
    count,
    h('table', { class: 'table', 'aria-label': 'Registre des qualifiés' },
      h('thead', {}, h('tr', {}, ['Raison sociale', 'N° qualifié', 'SIRET', 'Ville', 'Statut aujourd’hui'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody));
}

/** The fields of a qualification (add or correct), keyed by the core's field names. */
function qualificationFields(q = {}) {
  const kind = h('select', { name: 'kind' }, pairs('qualification_kinds').map(([v, t]) => h('option', { value: v }, t)));
  kind.value = q.kind ?? 'qualification';
  return new Map([
    ['kind', field({ label: 'Type', input: kind })],
    ['reference', field({ label: 'Référence', input: h('input', { type: 'text', name: 'reference', value: q.reference ?? '' }) })],
    ['label', field({ label: 'Intitulé', input: h('input', { type: 'text', name: 'label', value: q.label ?? '' }) })],
    ['valid_from', field({ label: 'Valide du', input: h('input', { type: 'text', name: 'valid_from', placeholder: 'JJ/MM/AAAA', value: frDate(q.valid_from) || '' }) })],
    ['valid_until', field({ label: 'au', input: h('input', { type: 'text', name: 'valid_until', placeholder: 'JJ/MM/AAAA', value: frDate(q.valid_until) || '' }) })],
    ['is_rge', field({ label: 'RGE', inline: true, className: 'choice-item', input: h('input', { type: 'checkbox', name: 'is_rge', checked: Boolean(q.is_rge) }) })],
  ]);
}

const valuesOf = (fields) => Object.fromEntries([...fields].map(([k, f]) => [k, f.input.type === 'checkbox' ? f.input.checked : f.input.value]));

/** A small form under a qualification's row: « Corriger » or « Mettre fin ». */
function rowForm({ name, fields, submit, send, after }) {
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { novalidate: true },
    h('fieldset', { class: 'inline-form' }, h('legend', {}, name),
      [...fields.values()].map((f) => f.wrapper), h('button', { type: 'submit', class: 'button primary' }, submit), error));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields, error);
    try {
      await send(valuesOf(fields));
      after();
    } catch (err) {
      showErrors(fields, err, { summary: error });
    }
  });
  return form;
}

export async function firmFile(id) {
  const file = await api.getFirmFile(id);
  const f = file.firm;
  const root = h('section', { class: 'page' });
  const reload = async (flash) => { setFlash(flash); replace(root, await firmFile(id)); };
  const editSlot = h('div', {});
  const docStatus = h('p', { role: 'status', class: 'muted' });
  const q = qualificationFields();
  const addQual = rowForm({
    name: 'Ajouter une qualification',
    fields: q,
    submit: 'Ajouter',
    send: (v) => api.addQualification(id, currentStaffId(), v),
    after: () => reload('Qualification ajoutée.'),
  });
  const reason = () => field({ label: 'Motif', input: h('input', { type: 'text', name: 'reason' }) });
  const qualRow = (x) => {
    // The appeals committee's suspension or withdrawal, with its dates and the complaint.
    const st = (file.statuses || []).find((s) => s.qualification_id === x.id);
    const slot = h('td', { colspan: 6 });
    const under = h('tr', { class: 'row-form', hidden: true }, slot);
    const open = (form) => { replace(slot, form); under.hidden = false; form.querySelector('input, select')?.focus(); };
    const correct = () => {
      const fields = qualificationFields(x);
      fields.set('reason', reason());
      open(rowForm({
        name: `Corriger ${x.reference}`,
        fields,
        submit: 'Enregistrer la correction',
        send: ({ reason: why, ...v }) => api.correctQualification(id, currentStaffId(), { ...v, id: x.id }, why),
        after: () => reload('Qualification corrigée.'),
      }));
    };
    const end = () => open(rowForm({
      name: `Mettre fin à ${x.reference}`,
      fields: new Map([
        ['ended_on', field({ label: 'Fin le', input: h('input', { type: 'text', name: 'ended_on', placeholder: 'JJ/MM/AAAA' }) })],
        ['reason', reason()],
      ]),
      submit: 'Mettre fin à la qualification',
      send: (v) => api.endQualification(id, currentStaffId(), x.id, v.ended_on, v.reason),
      after: () => reload('Qualification terminée.'),
    }));
    return [h('tr', { 'data-qualification': x.reference },
      h('td', {}, label('qualification_kinds', x.kind)), h('td', {}, x.reference), h('td', {}, dash(x.label)),
      h('td', { class: 'validity' }, x.valid_from || x.valid_until ? `${frDate(x.valid_from) || '…'} → ${frDate(x.valid_until) || '…'}` : '—', x.is_rge ? ' (RGE)' : ''),
      h('td', { class: 'qualification-status' }, st
        ? h('span', {}, h('span', { class: `badge badge-${st.status === 'withdrawn' ? 'red' : 'orange'}` }, st.status === 'withdrawn' ? 'Retirée' : 'Suspendue'), ' ',
          st.text.replace(/ \(réclamation .*\)$/, ''),
          st.complaint_id ? h('span', {}, ' — réclamation ', h('a', { href: `#/reclamations/${st.complaint_id}`, class: 'mono' }, st.complaint_reference)) : null)
        : '—'),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button small', 'aria-label': `Corriger ${x.reference}`, onClick: correct }, 'Corriger'), ' ',
        h('button', { type: 'button', class: 'button small', 'aria-label': `Mettre fin à ${x.reference}`, onClick: end }, 'Mettre fin'))),
    under];
  };
  replace(root,
    h('header', { class: 'page-head' },
      h('div', {}, h('h1', {}, f.name),
        h('p', { class: 'muted' }, 'Dossier du qualifié', f.number ? ` — n° ${f.number}` : '', f.siret ? ` — SIRET ${f.siret}` : '',
          f.siret_to_check ? [' ', h('span', { class: 'badge badge-orange' }, 'SIRET à vérifier')] : null),
        h('p', { class: 'firm-standing' }, 'Aujourd’hui : ', standingBadge(file.standing))),
      h('div', { class: 'action-buttons' },
        h('a', { class: 'button', href: `#/reclamations?qualifie=${f.id}` }, 'Ses réclamations dans la liste'),
        h('button', { type: 'button', class: 'button', onClick: () => replace(editSlot, firmForm(f, () => reload('Qualifié enregistré.'), () => editSlot.replaceChildren())) }, 'Modifier'))),
    takeFlash(h),
    editSlot,
    h('section', { class: 'card' }, h('h2', {}, 'Coordonnées'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Adresse'), h('dd', {}, dash([...f.address.lines, [f.address.postcode, f.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', '))),
        h('dt', {}, 'Courriel'), h('dd', {}, dash(f.email)),
        h('dt', {}, 'Téléphone'), h('dd', {}, dash(f.phone)))),
    h('section', { class: 'card' }, h('h2', {}, 'Qualifications et certifications'),
      file.qualifications.length ? h('table', { class: 'table', 'aria-label': 'Qualifications du qualifié' },
        h('thead', {}, h('tr', {}, ['Type', 'Référence', 'Intitulé', 'Validité', 'Statut', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.qualifications.map(qualRow))) : h('p', { class: 'muted' }, 'Aucune enregistrée.'),
      addQual),
    h('section', { class: 'card' }, h('h2', {}, `Historique des modifications (${file.history.length})`),
      file.history.length ? h('table', { class: 'table', 'aria-label': 'Historique du qualifié' },
        h('thead', {}, h('tr', {}, ['Date', 'Par', 'Sur', 'Modification', 'Motif'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.history.map((e) => h('tr', {},
          h('td', {}, frDate(e.at.slice(0, 10))), h('td', {}, e.author), h('td', {}, e.qualification || 'Fiche'),
          h('td', {}, e.old_value ? `${e.field} : ${e.old_value} → ${e.new_value}` : `${e.field} : ${e.new_value}`),
          h('td', {}, e.reason))))) : h('p', { class: 'muted' }, 'Aucune modification depuis la création.')),
    h('section', { class: 'card' }, h('h2', {}, `Réclamations (${file.complaints.length})`),
      file.complaints.length ? h('table', { class: 'table', 'aria-label': 'Réclamations du qualifié' },
        h('thead', {}, h('tr', {}, ['Référence', 'Reçue le', 'Plaignant', 'Étape', 'Décision', 'Clôture'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.complaints.map((c) => h('tr', {},
          h('td', {}, h('a', { href: `#/reclamations/${c.id}`, class: 'mono' }, c.reference)), h('td', {}, frDate(c.received_on)),
          h('td', {}, c.complainant), h('td', {}, c.step_label), h('td', {}, dash(c.decision_label)), h('td', {}, c.closed_on ? frDate(c.closed_on) : '—'))))) : h('p', { class: 'muted' }, 'Aucune réclamation.')),
    h('section', { class: 'card' }, h('h2', {}, `Documents (${file.documents.length})`),
      file.documents.length ? h('table', { class: 'table', 'aria-label': 'Documents du qualifié' },
        h('thead', {}, h('tr', {}, ['Date', 'Réclamation', 'Sens', 'Document', 'Envoi', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, file.documents.map((d) => h('tr', {},
          h('td', {}, frDate(d.created_on)), h('td', { class: 'mono' }, d.reference), h('td', {}, label('directions', d.direction)),
          h('td', {}, d.kind_label), h('td', {}, d.sent_on ? frDate(d.sent_on) : (d.direction === 'out' ? 'À envoyer' : '—')),
          h('td', {}, h('button', {
            type: 'button',
            class: 'button small',
            title: d.relative_path,
            onClick: () => api.openDocument(d.id).catch((err) => showRefusal(docStatus, err)),
          }, 'Ouvrir')))))) : h('p', { class: 'muted' }, 'Aucun document.'),
      docStatus),
    h('section', { class: 'card' }, h('h2', {}, 'Export pour audit'), exportPanel((folder) => api.exportDossier(null, id, folder))));
  return root;
}
